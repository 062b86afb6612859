# Run a command on a real pseudo-terminal (Python's pty module: the kernel's
# line discipline, echo included, as a user's terminal has), wait for a prompt,
# and answer it the instant it appears. Prints everything the terminal showed
# (the master side: output plus whatever the tty echoed) as JSON with the exit code.
# argv: prompt-regex answer command...
import json, os, pty, re, select, sys, time

prompt, answer, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
seen = b''
answered = False
deadline = time.time() + 60
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.5)
    if fd in r:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if not answered and re.search(prompt.encode(), seen):
            os.write(fd, answer.encode() + b'\r')  # no delay: the race the prompt must win
            answered = True
_, status = os.waitpid(pid, 0)
print(json.dumps({'output': seen.decode('utf-8', 'replace'), 'code': os.waitstatus_to_exitcode(status), 'answered': answered}))
