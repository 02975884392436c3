/** Types of the `pgpass` package (node-postgres' reader of ~/.pgpass, libpq's rules), which ships none. */
declare module 'pgpass' {
  interface ConnectionInfo {
    host?: string;
    port?: number | string;
    database?: string;
    user?: string;
  }
  /** Calls back with the password ~/.pgpass (or PGPASSFILE) gives for the connection, or undefined. Skipped while PGPASSWORD is set. */
  function pgpass(info: ConnectionInfo, callback: (password: string | undefined) => void): void;
  export = pgpass;
}
