// A checkpoint file (`--checkpoint FILE`): LangGraph's SQLite checkpointer plus one table
// of our own, `aex_threads`, describing each thread — what it runs (contract path, IR
// hash, permissions hash), how it was launched (the options `aex resume` needs to rebuild
// the run, the audit file it appends to) and where it stands (running, interrupted,
// finished). Both live in the same SQLite file, on the same connection.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { JsonValue } from '../../ir/types.js';

export type ThreadStatus = 'running' | 'interrupted' | 'finished';

export interface ThreadRecord {
  threadId: string;
  status: ThreadStatus;
  irHash: string;
  permsHash: string;
  /** How the run was launched (CLI flags and paths), as JSON. */
  launch: Record<string, JsonValue>;
  /** The final RunResult status once finished. */
  outcome?: string;
  /** The seal of the thread's state while it waits for a confirmation (./seal.ts). */
  seal?: string;
  createdAt: string;
  updatedAt: string;
}

interface Statement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
}
interface Db {
  exec(sql: string): unknown;
  prepare(sql: string): Statement;
  close(): unknown;
}

interface SaverLike {
  db: unknown;
}

export class ThreadStore {
  private constructor(
    readonly file: string,
    readonly saver: import('@langchain/langgraph-checkpoint-sqlite').SqliteSaver,
    private readonly db: Db,
  ) {}

  /** Opens (creating if needed) the checkpoint file. */
  static async open(file: string): Promise<ThreadStore> {
    const abs = path.resolve(file);
    mkdirSync(path.dirname(abs), { recursive: true });
    const { SqliteSaver } = await import('@langchain/langgraph-checkpoint-sqlite');
    const saver = SqliteSaver.fromConnString(abs);
    const db = (saver as unknown as SaverLike).db as Db;
    db.exec(`CREATE TABLE IF NOT EXISTS aex_threads (
      thread_id TEXT PRIMARY KEY,
      status TEXT NOT NULL,
      ir_hash TEXT NOT NULL,
      perms_hash TEXT NOT NULL,
      launch TEXT NOT NULL,
      outcome TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`);
    // Files written before threads were sealed lack the column.
    const columns = db.prepare('SELECT name FROM pragma_table_info(?)') as Statement & { all?: (...p: unknown[]) => unknown[] };
    const names = (columns.all?.('aex_threads') ?? []) as Array<{ name: string }>;
    if (!names.some((c) => c.name === 'state_seal')) db.exec('ALTER TABLE aex_threads ADD COLUMN state_seal TEXT');
    return new ThreadStore(abs, saver, db);
  }

  get(threadId: string): ThreadRecord | undefined {
    const row = this.db.prepare('SELECT * FROM aex_threads WHERE thread_id = ?').get(threadId) as Record<string, string | null> | undefined;
    if (!row) return undefined;
    const rec: ThreadRecord = {
      threadId: row.thread_id!,
      status: row.status as ThreadStatus,
      irHash: row.ir_hash!,
      permsHash: row.perms_hash!,
      launch: JSON.parse(row.launch!) as Record<string, JsonValue>,
      createdAt: row.created_at!,
      updatedAt: row.updated_at!,
    };
    if (row.outcome) rec.outcome = row.outcome;
    if (row.state_seal) rec.seal = row.state_seal;
    return rec;
  }

  create(rec: Omit<ThreadRecord, 'createdAt' | 'updatedAt' | 'status'>): void {
    const now = new Date().toISOString();
    this.db
      .prepare(
        'INSERT INTO aex_threads (thread_id, status, ir_hash, perms_hash, launch, outcome, created_at, updated_at) VALUES (?, ?, ?, ?, ?, NULL, ?, ?)',
      )
      .run(rec.threadId, 'running', rec.irHash, rec.permsHash, JSON.stringify(rec.launch), now, now);
  }

  setStatus(threadId: string, status: ThreadStatus, outcome?: string): void {
    this.db
      .prepare('UPDATE aex_threads SET status = ?, outcome = ?, updated_at = ? WHERE thread_id = ?')
      .run(status, outcome ?? null, new Date().toISOString(), threadId);
  }

  setSeal(threadId: string, seal: string | null): void {
    this.db.prepare('UPDATE aex_threads SET state_seal = ?, updated_at = ? WHERE thread_id = ?').run(seal, new Date().toISOString(), threadId);
  }

  /**
   * Moves a thread from `from` to `to` atomically; false when it was not in `from`
   * (so two resumes of one thread cannot both run it).
   */
  claim(threadId: string, from: ThreadStatus, to: ThreadStatus): boolean {
    const r = this.db
      .prepare('UPDATE aex_threads SET status = ?, updated_at = ? WHERE thread_id = ? AND status = ?')
      .run(to, new Date().toISOString(), threadId, from) as { changes?: number };
    return r.changes === 1;
  }

  close(): void {
    try {
      this.db.close();
    } catch {
      // already closed
    }
  }
}
