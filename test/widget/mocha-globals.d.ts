// The mocha globals web-test-runner provides in the browser (no @types/mocha installed).
declare function describe(name: string, body: () => void): void;
declare function it(name: string, body: () => Promise<void> | void): void;
