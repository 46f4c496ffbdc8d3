// Runs a command and ends its whole process group when the process that started it dies, even by
// SIGKILL (a runner killed by a timeout would otherwise leave code-server and its extension host
// running). server.mjs starts code-server through it, as the leader of a new process group:
//
//   node leash.mjs PARENT_PID COMMAND [ARGS...]
import { spawn } from 'node:child_process';

const [parentPid, cmd, ...args] = process.argv.slice(2);
const child = spawn(cmd, args, { stdio: 'inherit' }); // stays in this (the leash's) process group

const endGroup = () => {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {}
  process.exit(1);
};
const parentAlive = () => {
  try {
    process.kill(Number(parentPid), 0);
    return true;
  } catch {
    return false;
  }
};
setInterval(() => parentAlive() || endGroup(), 1000);
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.on(sig, () => {
    child.kill(sig);
    setTimeout(endGroup, 5000).unref();
  });
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
