/** A hook a strategy leaves empty. */
export const nothing = (): void => {};
