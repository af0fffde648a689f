// Compile-time name resolution: every variable becomes a numbered slot of its function's frame,
// so a run never looks a name up. A closure's scope reaches into the enclosing one and records
// what it captures.
import type { Pos } from './ast.js';
import { RhaiSyntaxError } from './errors.js';

export interface VarInfo {
  readonly slot: number;
  readonly constant: boolean;
  /** Set once a closure captures the variable: its slot then holds a shared cell at run time. */
  captured: boolean;
}

export interface Capture {
  /** The variable in the enclosing scope. */
  readonly outer: VarInfo;
  /** Its slot in the closure's frame. */
  readonly inner: number;
}

/** Whether `break`/`continue` appear directly in a loop (not in loops nested inside it). */
export interface LoopInfo {
  signals: boolean;
}

export class Scope {
  private readonly blocks: Map<string, VarInfo>[] = [new Map()];
  size = 0;
  readonly captures: Capture[] = [];
  readonly loops: LoopInfo[] = [];

  constructor(private readonly parent?: Scope) {}

  get atTopBlock(): boolean {
    return this.blocks.length === 1;
  }

  push(): void {
    this.blocks.push(new Map());
  }

  pop(): void {
    this.blocks.pop();
  }

  declare(name: string, constant: boolean): VarInfo {
    const info = { slot: this.size++, constant, captured: false };
    this.blocks[this.blocks.length - 1]!.set(name, info);
    return info;
  }

  resolve(name: string): VarInfo | undefined {
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const found = this.blocks[i]!.get(name);
      if (found) return found;
    }
    const outer = this.parent?.resolve(name);
    if (!outer) return undefined;
    outer.captured = true;
    const inner = { slot: this.size++, constant: outer.constant, captured: false };
    this.blocks[0]!.set(name, inner);
    this.captures.push({ outer, inner: inner.slot });
    return inner;
  }

  enterLoop(): LoopInfo {
    const info = { signals: false };
    this.loops.push(info);
    return info;
  }

  exitLoop(): void {
    this.loops.pop();
  }

  /** Marks the innermost loop as one that `break`/`continue` leave; fails outside loops. */
  loopSignal(what: string, pos: Pos): void {
    const loop = this.loops[this.loops.length - 1];
    if (!loop) throw new RhaiSyntaxError(`'${what}' can only be used inside a loop`, pos);
    loop.signals = true;
  }
}
