/**
 * Commands: one thin file per npm script (bench, compare, report, scenario,
 * fsmatrix, calibrate), each parsing its arguments and calling the harness,
 * analysis or output; main.ts is the shell they share (bad input: one line,
 * exit 2). Each file is an entry point: nothing imports a command.
 *
 * May import: every layer.
 */
export {};
