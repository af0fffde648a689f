// What standin uses of jsonpath-plus beyond its own typings: evaluate() with any JSON value (its
// typings require the callbacks, and it returns undefined itself for a falsy value), and the
// "safe" filter-script compiler it keeps on its prototype, with which jsonpathSelector.ts refuses
// filters that can never parse when the imposter is created (absent in other versions).
import 'jsonpath-plus';

declare module 'jsonpath-plus' {
  interface JSONPathClass {
    evaluate(path: string, json: unknown): unknown;
  }
  interface JSONPathCallable {
    readonly prototype?: { readonly safeVm?: { readonly Script?: new (code: string) => unknown } };
  }
}
