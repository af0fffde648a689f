// The evaluator, construct by construct: each script's `main` answers a value the test checks
// (type_of shows where Rhai's int/float distinction matters, since both become JS numbers).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRhai, RhaiRuntimeError } from '../../../src/scripting/rhai/index.js';

function run(body: string, args: unknown[] = [], extra = ''): unknown {
  const params = args.map((_, i) => `a${i}`).join(', ');
  return compileRhai(`${extra}\nfn main(${params}) {\n${body}\n}`).call('main', args);
}

function fails(body: string, pattern: RegExp, args: unknown[] = []): RhaiRuntimeError {
  let caught: unknown;
  try {
    run(body, args);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof RhaiRuntimeError, `expected a RhaiRuntimeError, got ${String(caught)}`);
  assert.match(caught.message, pattern);
  return caught;
}

describe('Rhai values and operators', () => {
  it('keeps integers and floats apart', () => {
    assert.equal(run('7 / 2'), 3);
    assert.equal(run('-7 / 2'), -3, 'integer division truncates toward zero');
    assert.equal(run('7 % 3'), 1);
    assert.equal(run('7.0 / 2'), 3.5);
    assert.equal(run('type_of(1 + 2)'), 'i64');
    assert.equal(run('type_of(1 + 2.0)'), 'f64');
    assert.equal(run('type_of(2.0 * 3)'), 'f64');
    assert.equal(run('2 ** 10'), 1024);
    assert.equal(run('2 ** 3 ** 2'), 512, '** is right-associative');
    assert.equal(run('type_of(2.0 ** 2)'), 'f64');
    assert.equal(run('(1 + 2) * 3 - 4 / 2'), 7);
    assert.equal(run('1 + 2 * 3'), 7);
    assert.equal(run('0x1F + 0b101 + 0o17 + 1_000'), 31 + 5 + 15 + 1000);
    assert.equal(run('1.5e3'), 1500);
    assert.equal(run('-(3)'), -3);
    assert.equal(run('5 & 3 | 8'), 9);
    assert.equal(run('1 << 4 >> 2'), 4);
    assert.equal(run('(1.0).to_string()'), '1.0');
    assert.equal(run('`${2.5} ${3.0} ${10}`'), '2.5 3.0 10');
  });

  it('compares across int and float, and answers false for other mixed types', () => {
    assert.equal(run('42 == 42.0'), true);
    assert.equal(run('42 < 42.5'), true);
    assert.equal(run('42 == "42"'), false);
    assert.equal(run('42 != "42"'), true);
    assert.equal(run('42 > "42"'), false);
    assert.equal(run('"abc" < "abd"'), true);
    assert.equal(run('[1, [2, 3]] == [1, [2, 3]]'), true);
    assert.equal(run('#{a: 1, b: "x"} == #{b: "x", a: 1}'), true);
    assert.equal(run('() == ()'), true);
    assert.equal(run('let x = 1; x == ()'), false);
    assert.equal(run('let x = (); x != ()'), false);
  });

  it('has short-circuit logic that demands booleans', () => {
    assert.equal(run('true && false || !false'), true);
    assert.equal(run('false && undefined_function()'), false, 'the right side is not evaluated');
    assert.equal(run('true || undefined_function()'), true);
    fails('1 && true', /operator '&&' is not defined for \(i64, bool\)/);
    fails('if 1 { 2 }', /'if' condition must be a bool, found i64/);
  });

  it('concatenates strings with anything', () => {
    assert.equal(run('"n=" + 5'), 'n=5');
    assert.equal(run('5 + "!"'), '5!');
    assert.equal(run('"x" + 1.5 + true'), 'x1.5true');
    assert.equal(run('"a" + \'b\''), 'ab');
    assert.equal(run('"u" + ()'), 'u');
    assert.equal(run('let s = "a"; s += "b"; s += 1; s'), 'ab1');
  });

  it('reads strings with escapes and back-tick strings with interpolation', () => {
    assert.equal(run(String.raw`"q\"t\\n\n\t\u0041\x42\u{1F600}"`), 'q"t\\n\n\tAB\u{1F600}');
    assert.equal(run('let x = 40; `sum ${x + 2} and ${ let y = x; y * 2 }`'), 'sum 42 and 80');
    assert.equal(run('`raw \\n "quoted"`'), 'raw \\n "quoted"', 'back-tick strings take text verbatim');
    assert.equal(run('`nested ${`inner ${1 + 1}`}`'), 'nested inner 2');
    assert.equal(run('`${()}|${[1, "a"]}|${#{k: 1}}`'), '|[1, "a"]|#{"k": 1}');
    assert.equal(run("let c = 'x'; type_of(c) + c"), 'charx');
    assert.equal(run('"hello"[1]'), 'e');
    assert.equal(run('"hello"[-1]'), 'o');
  });

  it('has integer overflow and division by zero as errors', () => {
    fails('1 / 0', /division by zero/);
    fails('9007199254740991 + 1', /integer overflow/);
    assert.equal(run('1.0 / 0 > 1000000.0'), true);
  });
});

describe('Rhai variables, blocks and control flow', () => {
  it('declares, shadows, assigns and compound-assigns', () => {
    assert.equal(run('let x = 1; let x = x + 1; x'), 2);
    assert.equal(run('let x; x == ()'), true);
    assert.equal(run('let x = 10; x -= 3; x *= 2; x /= 7; x %= 3; x'), 2);
    assert.equal(run('let x = 2; x **= 3; x <<= 1; x >>= 2; x |= 1; x &= 7; x ^= 2; x'), 7);
    assert.equal(run('let x = 1; { let x = 5; x += 1; } x'), 1, 'a block has its own scope');
    fails('y = 1', /variable not found: y/);
    fails('let x = z + 1', /variable not found: z/);
  });

  it('has constants and global:: constants from the top level', () => {
    assert.equal(run('const LIMIT = 3; LIMIT * 2'), 6);
    assert.equal(run('global::LIMIT + 1', [], 'const LIMIT = 41;'), 42);
  });

  it('uses the last expression of a block as its value, semicolon or not', () => {
    assert.equal(run('let v = { let a = 1; a + 1 }; v'), 2);
    assert.equal(run('1; 2;'), 2);
    assert.equal(run('let a = 1;'), undefined);
    assert.equal(run('if true { } ; 5'), 5, 'an empty statement after a block is fine');
  });

  it('has if / else if / else as statements and expressions', () => {
    const grade = 'if a0 >= 90 { "A" } else if a0 >= 80 { "B" } else { "C" }';
    assert.equal(run(grade, [95]), 'A');
    assert.equal(run(grade, [85]), 'B');
    assert.equal(run(grade, [10]), 'C');
    assert.equal(run('let x = if false { 1 }; x'), undefined);
    assert.equal(run('let x = 0; if x == 0 { x = 5; } x'), 5);
    assert.equal(run('let x = 1 + if true { 2 } else { 3 }; x'), 3);
  });

  it('loops: while, loop with break value, do-while/until, continue', () => {
    assert.equal(run('let i = 0; let s = 0; while i < 5 { i += 1; if i == 2 { continue; } s += i; } s'), 13);
    assert.equal(run('let i = 0; let r = loop { i += 1; if i > 3 { break i * 10; } }; r'), 40);
    assert.equal(run('let i = 0; do { i += 1; } while i < 3; i'), 3);
    assert.equal(run('let i = 0; do { i += 1; } until i >= 5; i'), 5);
    assert.equal(run('let n = 0; while true { n += 1; if n == 7 { break; } } n'), 7);
  });

  it('iterates arrays, ranges, inclusive ranges and strings with for', () => {
    assert.equal(run('let s = 0; for x in [1, 2, 3] { s += x; } s'), 6);
    assert.equal(run('let s = 0; for i in 0..5 { s += i; } s'), 10);
    assert.equal(run('let s = 0; for i in 0..=5 { s += i; } s'), 15);
    assert.equal(run('let n = 3; let s = 0; for i in 0..n + 1 { s += i; } s'), 6, '.. binds looser than +');
    assert.equal(run('let out = ""; for (c, i) in "abc" { out += `${i}${c}`; } out'), '0a1b2c');
    assert.equal(run('let s = 0; for x in [1, 2, 3, 4] { if x % 2 == 0 { continue; } s += x; } s'), 4);
    assert.equal(run('let last = 0; for x in 1..100 { if x * x > 50 { last = x; break; } } last'), 8);
    assert.equal(run('5 in 1..10'), true);
    fails('for x in #{a: 1} { }', /cannot iterate over map: use its keys\(\) or values\(\)/);
  });

  it('has switch with alternatives, ranges, guards and a default', () => {
    const classify = 'switch a0 { 0 => "zero", 1 | 2 => "small", 3..10 => "medium", x if a0 > 100 => "huge", _ => "other" }'.replace(
      'x if',
      '11 | 12 if false => "never", 999 if',
    );
    assert.equal(run(classify, [0]), 'zero');
    assert.equal(run(classify, [2]), 'small');
    assert.equal(run(classify, [5]), 'medium');
    assert.equal(run(classify, [999]), 'huge');
    assert.equal(run(classify, [50]), 'other');
    assert.equal(run('switch "b" { "a" => 1, "b" => { let x = 2; x } }'), 2);
  });

  it('has throw and try/catch', () => {
    assert.equal(run('try { throw "boom"; } catch (e) { `caught ${e}` }'), 'caught boom');
    assert.equal(run('try { let a = [1]; a[5] } catch (e) { e.contains("out of bounds") }'), true);
    const err = fails('throw #{code: 42};', /runtime error: #\{"code": 42\}/);
    assert.equal(err.line, 3, 'the body starts on line 3 of the script run() builds');
  });
});

describe('Rhai functions', () => {
  it('defines, calls and recurses', () => {
    const defs = 'fn fib(n) { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }\nfn add(a, b,) { return a + b; }';
    assert.equal(run('fib(15)', [], defs), 610);
    assert.equal(run('add(2, 3,)', [], defs), 5);
    assert.equal(run('later()', [], 'fn later() { helper() * 2 }\nfn helper() { 21 }'), 42);
    assert.equal(run('early(5)', [], 'fn early(x) { if x > 3 { return "big"; } "small" }'), 'big');
    assert.equal(run('nothing()', [], 'fn nothing() { return; }'), undefined);
  });

  it('passes arrays and maps by value', () => {
    const defs = 'fn grow(list) { list.push(99); list.len() }';
    assert.deepEqual(run('let a = [1]; let n = grow(a); [a, n]', [], defs), [[1], 2]);
    assert.deepEqual(run('let a = [1]; let b = a; b.push(2); [a, b]'), [[1], [1, 2]]);
    assert.deepEqual(run('let m = #{x: #{y: 1}}; let n = m.x; n.y = 2; [m.x.y, n.y]'), [1, 2]);
  });

  it('binds this when a script function is called as a method', () => {
    const defs = 'fn bump(by) { this.count += by; this.count }\nfn double() { this *= 2; }';
    assert.deepEqual(run('let c = #{count: 1}; let r = c.bump(4); [r, c.count]', [], defs), [5, 5]);
    assert.equal(run('let n = 21; n.double(); n', [], defs), 42);
  });

  it('calls function pointers and closures', () => {
    const defs = 'fn twice(x) { x * 2 }';
    assert.equal(run('let f = Fn("twice"); f.call(4)', [], defs), 8);
    assert.equal(run('let f = Fn("twice"); f(5)', [], defs), 10);
    assert.equal(run('let k = 3; let add = |x| x + k; add.call(4)'), 7);
    assert.deepEqual(run('[1, 2, 3].map(|x| x * x)'), [1, 4, 9]);
    assert.deepEqual(run('[1, 2, 3, 4].filter(|x| x % 2 == 0)'), [2, 4]);
    assert.equal(run('[1, 2, 3].reduce(|sum, x| sum + x, 0)'), 6);
    assert.equal(run('let f = Fn("twice").curry(21); f.call()', [], defs), 42);
  });

  it('shares captured variables between a closure and its scope, as Rhai does', () => {
    assert.equal(run('let count = 0; let inc = || { count += 1; }; inc.call(); inc.call(); count'), 2);
    assert.equal(run('let x = 1; let f = || x; x = 5; f.call()'), 5);
    // A loop variable is one variable for the whole loop (Rhai writes each item through the shared
    // value: rhaiscript/rhai#366); a `let` in the body is a new one each iteration.
    assert.deepEqual(run('let fs = []; for i in 0..3 { fs.push(|| i * 10); } fs.map(|f| f.call())'), [20, 20, 20]);
    assert.deepEqual(run('let fs = []; for (x, i) in ["a", "b"] { fs.push(|| x + i); } fs.map(|f| f.call())'), ['b1', 'b1']);
    assert.deepEqual(run('let fs = []; for i in 0..3 { let j = i; fs.push(|| j * 10); } fs.map(|f| f.call())'), [0, 10, 20]);
    assert.deepEqual(
      run('let fs = []; for i in 0..3 { fs.push(|| { let g = || i; g.call() }); } fs.map(|f| f.call())'),
      [2, 2, 2],
      'captured through a closure in a closure',
    );
    assert.deepEqual(
      run('let out = []; for round in 0..2 { let fs = []; for i in 0..2 { fs.push(|| i + round * 10); } out += fs.map(|f| f.call()); } out'),
      [1, 1, 11, 11],
      'each run of an inner loop has a variable of its own',
    );
    assert.deepEqual(run('let log = []; let add = |v| log.push(v); add.call(1); add.call(2); log'), [1, 2]);
    assert.equal(run('let n = 1; let outer = || { let inner = || { n += 10; }; inner.call(); n }; outer.call() + n'), 22);
  });

  it('reports unknown functions and wrong arities clearly, with their position', () => {
    const err = fails('let x = 1;\n  nope(x, "a")', /function not found: nope \(i64, string\)/);
    assert.equal(err.line, 4);
    assert.equal(err.column, 3);
    assert.throws(() => compileRhai('fn f(a) { a }\nfn main() { f(1, 2) }').call('main', []), /function 'f' takes 1 argument\(s\), not 2/);
    assert.throws(() => compileRhai('fn f(a) { a }').call('f', []), /takes 1 argument\(s\), not 0/);
    assert.throws(() => compileRhai('fn f() { }').call('g', []), /defines no function 'g'/);
  });

  it('stops runaway recursion', () => {
    assert.throws(() => compileRhai('fn f(n) { f(n + 1) }').call('f', [0]), /too many nested function calls/);
  });
});

describe('Rhai arrays, maps and strings', () => {
  it('indexes and assigns into arrays, negative from the end', () => {
    assert.equal(run('let a = [1, 2, 3]; a[0] + a[-1]'), 4);
    assert.deepEqual(run('let a = [1, 2, 3]; a[1] = 20; a[-1] += 1; a'), [1, 20, 4]);
    assert.deepEqual(run('let m = #{list: [1]}; m.list.push(2); m.list[0] = 0; m'), { list: [0, 2] });
    fails('let a = [1, 2]; a[2]', /array index 2 is out of bounds: it has 2 elements/);
    fails('let a = [1]; a["x"]', /array index must be an integer/);
  });

  it('has the array methods scripts use', () => {
    assert.deepEqual(run('let a = []; a.push(1); a.push("two"); a'), [1, 'two']);
    assert.deepEqual(run('let a = [1, 2, 3]; let p = a.pop(); [p, a, a.len(), a.is_empty(), [].is_empty()]'), [3, [1, 2], 2, false, true]);
    assert.equal(run('[1, 2, 3].contains(2)'), true);
    assert.equal(run('["a", "b"].contains("c")'), false);
    assert.equal(run('[1, "b", 2.5].join(", ")'), '1, b, 2.5');
    assert.equal(run('len([1, 2])'), 2, 'every method can be called as a function');
    assert.deepEqual(run('let a = [3, 1, 2]; a.sort(); a.insert(0, 9); a.remove(1); a'), [9, 2, 3]);
    assert.equal(run('[1, 2, 3].index_of(3)'), 2);
    assert.deepEqual(run('let a = [1, 2]; a += [3]; a + [4]'), [1, 2, 3, 4]);
  });

  it('has object maps with quoted keys, property access and the map methods', () => {
    assert.deepEqual(run('#{a: 1, "b-c": 2, "Content-Type": "x"}'), { a: 1, 'b-c': 2, 'Content-Type': 'x' });
    assert.equal(run('let m = #{a: 1}; m.a + m["a"]'), 2);
    assert.equal(run('let m = #{a: 1}; m.missing == () && m["missing"] == ()'), true);
    assert.deepEqual(run('let m = #{}; m.x = 1; m["y"] = 2; m.x += 10; m'), { x: 11, y: 2 });
    assert.deepEqual(run('let m = #{b: 2, a: 1}; [m.keys(), m.values(), m.len()]'), [['a', 'b'], [1, 2], 2]);
    assert.deepEqual(run('let m = #{a: 1, b: 2}; let r = m.remove("a"); [r, m, m.contains("a"), m.contains("b")]'), [1, { b: 2 }, false, true]);
    assert.deepEqual(run('let m = #{a: 1}; [m.get("a"), m.get("zz"), m.is_empty(), #{}.is_empty()]'), [1, undefined, false, true]);
    assert.equal(run('"a" in #{a: 1}'), true);
    assert.equal(run('let m = #{a: 1}; m?.a'), 1);
    assert.equal(run('let m = (); m?.a'), undefined);
    fails('let m = (); m.a', /cannot read property 'a' of \(\)/);
  });

  it('has the string methods scripts use', () => {
    assert.deepEqual(
      run('let s = "Hello, World"; [s.len(), s.contains("World"), s.contains(\'H\'), s.starts_with("Hell"), s.ends_with("x"), s.to_upper(), s.to_lower()]'),
      [12, true, true, true, false, 'HELLO, WORLD', 'hello, world'],
    );
    assert.deepEqual(run('"a,b,,c".split(",")'), ['a', 'b', '', 'c']);
    assert.deepEqual(run('"abcdef".sub_string(1, 3) + "|" + "abcdef".sub_string(4)'), 'bcd|ef');
    assert.deepEqual(run('["abc".index_of("c"), "abc".index_of("z"), "abcabc".index_of("b", 2)]'), [2, -1, 4]);
    assert.deepEqual(run('["42".parse_int(), parse_int("-7"), type_of("2.5".parse_float()), "2.5".parse_float()]'), [42, -7, 'f64', 2.5]);
    assert.equal(run('let s = "  pad  "; s.trim(); s'), 'pad', 'trim changes the string in place, as in Rhai');
    assert.equal(run('let s = "a-b-c"; s.replace("-", "+"); s'), 'a+b+c');
    assert.equal(run('let m = #{s: " x "}; m.s.trim(); m.s'), 'x');
    assert.equal(run('(12).to_string() + 1.5.to_string()'), '121.5');
    assert.deepEqual(run('[3.7.to_int(), type_of(3.to_float()), (-3.7).to_int()]'), [3, 'f64', -3]);
    assert.equal(run('"héllo wörld 😀".len()'), 13, 'length counts characters');
    fails('"x".parse_int()', /'x' is not an integer/);
  });

  it('has type_of for every type', () => {
    assert.deepEqual(
      run(
        '[type_of(1), type_of(1.0), type_of("s"), type_of(\'c\'), type_of(true), type_of(()), type_of([]), type_of(#{}), type_of(Fn("main")), type_of(0..1)]',
      ),
      ['i64', 'f64', 'string', 'char', 'bool', '()', 'array', 'map', 'Fn', 'range'],
    );
  });
});

describe('Rhai built-ins beyond the basics', () => {
  it('pads, crops, truncates and splits strings as Rhai does', () => {
    assert.equal(run('let s = "ab"; s.pad(5, \'*\'); s'), 'ab***');
    assert.equal(run('let s = "abcdef"; s.crop(2, 3); s'), 'cde');
    assert.equal(run('let s = "abcdef"; s.truncate(2); s'), 'ab');
    assert.equal(run('let s = "ab"; s.clear(); s.is_empty()'), true);
    assert.equal(run('let s = "ab"; s.make_upper(); s'), 'AB');
    assert.deepEqual(run('"a b  c".split()'), ['a', 'b', 'c']);
    assert.deepEqual(run('"a:b:c".split(":", 2)'), ['a', 'b:c']);
    assert.deepEqual(run('"hello".split(2)'), ['he', 'llo']);
    assert.deepEqual(run('"abc".chars()'), ['a', 'b', 'c']);
    assert.equal(run('"ff".parse_int(16) + parse_int("101", 2)'), 260);
    assert.equal(run('let s = "abc"; s[0] = \'X\'; s'), 'Xbc');
  });

  it('rounds and converts numbers, keeping int and float apart', () => {
    assert.deepEqual(run('[type_of(2.5.floor()), 2.5.floor(), 2.5.round(), (-2.5).round(), 2.1.ceiling(), (-7).abs(), 9.0.sqrt()]'), [
      'f64',
      2,
      3,
      -3,
      3,
      7,
      3,
    ]);
    assert.deepEqual(run('[max(1, 5), min(1, 5), type_of(max(1, 5.0)), 7.is_odd(), 8.is_even(), 0.is_zero()]'), [5, 1, 'f64', true, true, true]);
    assert.deepEqual(run('[(1.0/3).to_string(), 1e20.to_string(), 0.0.to_string(), 100.0.to_string()]'), ['0.3333333333333333', '1e20', '0.0', '100.0']);
  });

  it('has ?? for unit, and in / !in', () => {
    assert.equal(run('let m = #{}; m.missing ?? "fallback"'), 'fallback');
    assert.equal(run('let m = #{a: 0}; m.a ?? 5'), 0);
    assert.equal(run('"ell" in "hello" && !("z" in "hello") && 3 !in [1, 2]'), true);
  });

  it('parses JSON and writes maps as JSON', () => {
    assert.deepEqual(
      run('let v = parse_json(a0); [v.n + 1, type_of(v.f), v.list.len(), v.nested.ok]', ['{"n": 41, "f": 1.5, "list": [1, 2], "nested": {"ok": true}}']),
      [42, 'f64', 2, true],
    );
    assert.equal(run('#{a: 1, b: [true, ()]}.to_json()'), '{"a":1,"b":[true,null]}');
    fails('parse_json("{nope")', /parse_json:/);
  });

  it('measures time with timestamp()', () => {
    assert.deepEqual(run('let t = timestamp(); let e = t.elapsed; [type_of(t), type_of(e), e >= 0.0, type_of(timestamp() - t)]'), [
      'timestamp',
      'f64',
      true,
      'f64',
    ]);
    assert.match(String(run('timestamp_header()')), /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  });
});
