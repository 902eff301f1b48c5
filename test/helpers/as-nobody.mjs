// Runs the built CLI as the unprivileged user "nobody" (uid/gid 65534), so file permissions apply
// even when the tests run as root: `node as-nobody.mjs serve --dir D` is `flowmcp serve --dir D`.
const cli = new URL('../../dist/cli.js', import.meta.url);
process.setgroups?.([]);
process.setgid(65534);
process.setuid(65534);
await import(cli.href);
