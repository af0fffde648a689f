// The syntax tree the parser builds and the compiler turns into closures. Every node carries the
// position of its first token, for error messages.
import type { Value } from './values.js';

export interface Pos {
  readonly line: number;
  readonly column: number;
}

export type Expr =
  | (Pos & { k: 'literal'; value: Value })
  | (Pos & { k: 'var'; name: string })
  | (Pos & { k: 'global'; name: string }) // global::NAME, a top-level constant
  | (Pos & { k: 'this' })
  | (Pos & { k: 'interpolated'; parts: (string | Block)[] })
  | (Pos & { k: 'array'; items: Expr[] })
  | (Pos & { k: 'map'; entries: { key: string; value: Expr }[] })
  | (Pos & { k: 'unary'; op: '-' | '+' | '!'; operand: Expr })
  | (Pos & { k: 'binary'; op: string; left: Expr; right: Expr })
  | (Pos & { k: 'property'; target: Expr; name: string; safe: boolean })
  | (Pos & { k: 'index'; target: Expr; index: Expr; safe: boolean })
  | (Pos & { k: 'call'; name: string; args: Expr[] })
  | (Pos & { k: 'method'; target: Expr; name: string; args: Expr[]; safe: boolean })
  | (Pos & { k: 'closure'; params: string[]; body: Expr })
  | (Pos & { k: 'if'; cond: Expr; then: Block; otherwise?: Expr })
  | (Pos & { k: 'switch'; value: Expr; cases: SwitchCase[]; fallback?: Expr })
  | (Pos & { k: 'while'; cond: Expr; body: Block; until: boolean; doFirst: boolean })
  | (Pos & { k: 'loop'; body: Block })
  | (Pos & { k: 'for'; item: string; counter?: string; iterable: Expr; body: Block })
  | Block;

export type Block = Pos & { k: 'block'; body: Stmt[] };

export interface SwitchCase {
  readonly values: Expr[];
  readonly guard?: Expr;
  readonly body: Expr;
}

export type Stmt =
  | (Pos & { k: 'let'; name: string; init?: Expr; constant: boolean })
  | (Pos & { k: 'assign'; op: string; target: Expr; value: Expr })
  | (Pos & { k: 'expr'; expr: Expr })
  | (Pos & { k: 'break'; value?: Expr })
  | (Pos & { k: 'continue' })
  | (Pos & { k: 'return'; value?: Expr })
  | (Pos & { k: 'throw'; value?: Expr })
  | (Pos & { k: 'try'; body: Block; errorVar?: string; handler: Block });

export interface FnDef extends Pos {
  readonly name: string;
  readonly params: string[];
  readonly body: Block;
}

export interface Script {
  readonly functions: FnDef[];
  readonly statements: Stmt[];
}
