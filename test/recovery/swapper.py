# Exchanges two paths (a directory and a symlink) with renameat2(RENAME_EXCHANGE) in a tight
# loop until SIGTERM, then prints how many exchanges it made. The race partner of races.test.ts.
import ctypes
import signal
import sys

libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD = -100
RENAME_EXCHANGE = 2
a, b = sys.argv[1].encode(), sys.argv[2].encode()
stop = False


def on_term(*_):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on_term)
print("ready", flush=True)
n = 0
while not stop:
    if libc.renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) != 0:
        print("error", ctypes.get_errno(), flush=True)
        sys.exit(1)
    n += 1
print(n, flush=True)
