/** What getattr returns: the attributes an NFS client compares (model µs for the times, i_version without its queried bit). */
export interface Attr {
  iversion: number;
  mtime: number;
  ctime: number;
}
