// better-sqlite3 ships no declarations and @types/better-sqlite3 is not a dependency. The
// tests open a checkpoint file with it to tamper with rows as an attacker would
// (tests/attacks/run-resume.test.ts); this declares only what they call. `Database` and
// `Statement` are also exported as types because @langchain/langgraph-checkpoint-sqlite's
// declarations import them by those names.
declare module 'better-sqlite3' {
  namespace BetterSqlite3 {
    interface RunResult {
      changes: number;
      lastInsertRowid: number | bigint;
    }

    interface Statement {
      /** The first row the statement returns, or undefined when it returns none. */
      get(...params: unknown[]): unknown;
      run(...params: unknown[]): RunResult;
    }

    interface Database {
      prepare(source: string): Statement;
      close(): this;
    }

    interface DatabaseConstructor {
      new (filename: string): Database;
    }
  }

  const Database: BetterSqlite3.DatabaseConstructor;

  namespace Database {
    type Database = BetterSqlite3.Database;
    type Statement = BetterSqlite3.Statement;
    type RunResult = BetterSqlite3.RunResult;
  }

  export = Database;
}
