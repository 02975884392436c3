/**
 * The Python program that runs one reply's checks: it confines itself first (src/sandbox/sandbox.ts says what each
 * mode guarantees), then forks once per check from an interpreter that has already loaded LiveCodeBench's imports, so
 * a reply pays Python's start-up once. It reads one JSON job on standard input and prints one JSON line per check.
 *
 * The same file confines node jobs: it sets the sandbox up, writes the job to the work folder and execs node.
 */

/**
 * The imports LiveCodeBench prepends to every program it runs (lcb_runner/evaluation/testing_util.py `import_string`),
 * so a reply that uses `deque`, `List[int]` or `sqrt` without importing them runs here as it runs there.
 */
export const LCB_IMPORTS = [
  'from string import *',
  'from re import *',
  'from datetime import *',
  'from collections import *',
  'from heapq import *',
  'from bisect import *',
  'from copy import *',
  'from math import *',
  'from random import *',
  'from statistics import *',
  'from itertools import *',
  'from functools import *',
  'from operator import *',
  'from io import *',
  'from sys import *',
  'from json import *',
  'from builtins import *',
  'from typing import *',
  'import string, re, datetime, collections, heapq, bisect, copy, math, random, statistics, itertools, functools, operator, io, sys, json',
  'sys.setrecursionlimit(50000)',
].join('\n');

export const PYTHON_HARNESS = String.raw`
import json, os, re, resource, select, signal, sys, time, traceback

_job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
_box = _job["sandbox"]

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 8, 32, 4096, 16384, 1 << 18
_KEPT_FLAGS = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "noatime": 1024, "nodiratime": 2048, "relatime": 1 << 21}

def _fail(message):
    sys.stderr.write("smcs-sandbox: " + message + "\n")
    sys.stderr.flush()
    os._exit(125)

def _confine():
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    def mount(source, target, fstype, flags, data):
        enc = lambda s: None if s is None else s.encode()
        if libc.mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)) != 0:
            _fail("mount %s: %s" % (target, os.strerror(ctypes.get_errno())))
    mount(None, "/", None, MS_REC | MS_PRIVATE, None)
    held = [(k, os.open(k, os.O_PATH | os.O_DIRECTORY)) for k in _box["keep"] if os.path.isdir(k)]
    for d in _box["hide"]:
        if os.path.isdir(d) and not os.path.islink(d) and os.path.realpath(d) == d:
            mount("smcs-hidden", d, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755")
    for k, fd in held:
        if not os.path.exists(k):
            os.makedirs(k, 0o755)
            mount("/proc/self/fd/%d" % fd, k, None, MS_BIND | MS_REC, None)
        os.close(fd)
    work = _box["workUid"]
    mount("smcs-work", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=%dm,mode=0700,uid=%d,gid=%d" % (_box["workMb"], work, work))
    seen = set()
    with open("/proc/self/mountinfo") as info:
        mounts = [line.split() for line in info]
    for fields in reversed(mounts):
        point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[4])
        options = fields[5].split(",")
        if point == "/tmp" or point in seen or not os.path.exists(point):
            continue
        seen.add(point)
        if "ro" in options:
            continue
        flags = MS_REMOUNT | MS_BIND | MS_RDONLY
        for name, bit in _KEPT_FLAGS.items():
            if name in options:
                flags |= bit
        mount(None, point, None, flags, None)
    os.chdir("/tmp")

def _own_processes():
    """Processes this user runs now (Linux), so a process cap in the shared limited mode leaves room for them."""
    uid, count = os.getuid(), 0
    for entry in os.listdir("/proc"):
        try:
            count += entry.isdigit() and os.stat("/proc/" + entry).st_uid == uid
        except OSError:
            pass
    return count

def _limit():
    l = dict(_box["limits"])
    if _box["mode"] != "isolated":
        l["processes"] = _own_processes() + l["processes"] if os.path.isdir("/proc") else None
    for name, value in (("RLIMIT_CORE", 0), ("RLIMIT_FSIZE", l["fileBytes"]), ("RLIMIT_CPU", l["cpuSeconds"]), ("RLIMIT_DATA", l["dataBytes"]), ("RLIMIT_AS", l.get("addressBytes")), ("RLIMIT_NPROC", l["processes"]), ("RLIMIT_NOFILE", 256)):
        if value is not None and hasattr(resource, name):
            resource.setrlimit(getattr(resource, name), (value, value))

def _drop_privileges():
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    prctl = libc.prctl
    cap = 0
    while prctl(24, cap, 0, 0, 0) == 0:  # PR_CAPBSET_DROP, every capability the kernel knows
        cap += 1
    prctl(47, 4, 0, 0, 0)  # PR_CAP_AMBIENT_CLEAR_ALL
    uid = _box.get("uid")
    if uid is not None:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)
    data = (ctypes.c_uint32 * 6)()
    if libc.capset(header, data) != 0:
        _fail("capset: " + os.strerror(ctypes.get_errno()))
    if prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
        _fail("no_new_privs: " + os.strerror(ctypes.get_errno()))

if _box["mode"] == "isolated":
    _confine()
_limit()
if _box["mode"] == "isolated":
    _drop_privileges()

if _box.get("probe"):
    report = {"uid": os.getuid(), "cwd": os.getcwd(), "pid": os.getpid()}
    try:
        open("/smcs-probe", "w")
        report["rootWritable"] = True
    except OSError:
        report["rootWritable"] = False
    print(json.dumps(report))
    sys.exit(0)

if _job.get("exec"):
    with open("job.json", "w") as f:
        json.dump(_job, f)
    os.execve(_job["exec"][0], _job["exec"], _job.get("env", {}))

import builtins

_PID1 = os.getpid() == 1
_checks = _job["checks"]
_timeout = _job["timeoutMs"] / 1000.0
_out_limit = _job["outputBytes"]

def _report(record):
    sys.__stdout__.write(json.dumps(record) + "\n")
    sys.__stdout__.flush()

_base = {"__builtins__": builtins}
exec(_job["header"], _base)

class ListNode:
    def __init__(self, val=0, next=None):
        self.val = val
        self.next = next

class TreeNode:
    def __init__(self, val=0, left=None, right=None):
        self.val = val
        self.left = left
        self.right = right

_base["ListNode"] = ListNode
_base["TreeNode"] = TreeNode

try:
    _code = compile(_job["code"], "solution.py", "exec")
except (SyntaxError, ValueError) as e:
    message = "".join(traceback.format_exception_only(type(e), e))
    for i in range(len(_checks)):
        _report({"check": i, "setupError": message})
    sys.exit(0)

_NETWORK_GUARD_NAMES = ("socket", "socketpair", "create_connection", "getaddrinfo", "gethostbyname", "fromfd", "create_server")

def _guard_network():
    import socket as s1, _socket as s2
    def blocked(*args, **kwargs):
        raise OSError("network access is disabled by the SMCS sandbox")
    for module in (s1, s2):
        for name in _NETWORK_GUARD_NAMES:
            if hasattr(module, name):
                setattr(module, name, blocked)

def _to_list(node, seen_limit=100000):
    out = []
    while node is not None and len(out) < seen_limit:
        out.append(node.val)
        node = node.next
    return out

def _to_level_order(root):
    out, queue, i = [], [root], 0
    while i < len(queue):
        node = queue[i]
        i += 1
        if node is None:
            out.append(None)
        else:
            out.append(node.val)
            queue.append(node.left)
            queue.append(node.right)
    while out and out[-1] is None:
        out.pop()
    return out

def _plain(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "val") and hasattr(value, "next"):
        return [_plain(v) for v in _to_list(value)]
    if hasattr(value, "val") and hasattr(value, "left") and hasattr(value, "right"):
        return [_plain(v) for v in _to_level_order(value)]
    raise TypeError("returned a %s, which a judge cannot compare with a literal" % type(value).__name__)

def _build_list(cls, values):
    head = None
    for v in reversed(values):
        head = cls(v, head)
    return head

def _build_tree(cls, values):
    if not values or values[0] is None:
        return None
    nodes = [None if v is None else cls(v) for v in values]
    kids = iter(nodes[1:])
    for node in nodes:
        if node is None:
            continue
        node.left = next(kids, None)
        node.right = next(kids, None)
    return nodes[0]

def _normal(name):
    return name.replace("_", "").lower()

def _find_callable(ns, name, method):
    cls = ns.get("Solution")
    holders = [lambda: ns]
    if isinstance(cls, type):
        holders.insert(0 if method else 1, cls)
    for make in holders:
        holder = make()
        names = list(holder) if isinstance(holder, dict) else [n for n in dir(holder) if not n.startswith("__")]
        for n in sorted(names, key=lambda n: n != name):
            if _normal(n) == _normal(name):
                found = holder[n] if isinstance(holder, dict) else getattr(holder, n)
                if callable(found) and not isinstance(found, type):
                    return found
    raise LookupError("the code defines no %s %s" % ("method" if method else "function", name))

def _node_kinds(fn):
    """Which parameters take a ListNode or TreeNode, from the annotations; None when the signature has none."""
    import inspect
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return None
    if params and all(p.annotation is inspect.Parameter.empty for p in params):
        return None
    kinds = []
    for p in params:
        text = p.annotation if isinstance(p.annotation, str) else repr(p.annotation)
        kinds.append("ListNode" if "ListNode" in text else "TreeNode" if "TreeNode" in text else None)
    return kinds

def _unsupported(reason, result_path):
    """Ends a check that this runner cannot judge (errored, never failed)."""
    with open(result_path, "w") as f:
        json.dump({"unsupported": reason}, f)
    _finish(0)

def _call(ns, check, result_path):
    try:
        fn = _find_callable(ns, check["name"], check["method"])
    except LookupError as e:
        _unsupported(str(e), result_path)
    args = [json.loads(a) for a in check["args"]]
    kinds = _node_kinds(fn)
    if kinds is None:
        if "ListNode" in _job["code"] or "TreeNode" in _job["code"]:
            _unsupported("cannot tell which arguments are ListNode/TreeNode: the reply's %s has no type annotations" % check["name"], result_path)
        kinds = []
    for i, kind in enumerate(kinds[: len(args)]):
        if kind and isinstance(args[i], list):
            cls = ns.get(kind) if isinstance(ns.get(kind), type) else (ListNode if kind == "ListNode" else TreeNode)
            args[i] = (_build_list if kind == "ListNode" else _build_tree)(cls, args[i])
    value = fn(*args)
    import inspect
    try:
        returns = inspect.signature(fn).return_annotation
    except (TypeError, ValueError):
        returns = inspect.Signature.empty
    returns_node = returns is not inspect.Signature.empty and any(n in (returns if isinstance(returns, str) else repr(returns)) for n in ("ListNode", "TreeNode"))
    record = {"value": json.dumps([] if value is None and returns_node else _plain(value))}
    if value is None and args and not returns_node:
        record["firstArgument"] = json.dumps(_plain(args[0]))
    with open(result_path, "w") as f:
        json.dump(record, f)

def _hook(kind, error, tb):
    """Tracebacks of the reply's code, without the harness's own frames."""
    while tb is not None and tb.tb_frame.f_code.co_filename == "<string>":
        tb = tb.tb_next
    traceback.print_exception(kind, error, tb)

def _finish(code):
    """Ends a check as the interpreter would (threads joined, atexit run, output flushed) without tearing it down."""
    import atexit, threading
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)

def _exit_code(stop):
    if stop.code is None or isinstance(stop.code, int):
        return stop.code or 0
    sys.stderr.write(str(stop.code) + "\n")
    return 1

def _child(i, check):
    sys.excepthook = _hook
    in_fd = os.open("in-%d" % i, os.O_RDONLY)
    out_fd = os.open("out-%d" % i, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    err_fd = os.open("err-%d" % i, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    for fd, target in ((in_fd, 0), (out_fd, 1), (err_fd, 2)):
        os.dup2(fd, target)
        os.close(fd)
    sys.stdin = sys.__stdin__ = open(0, "r", encoding="utf-8", closefd=False)
    sys.stdout = sys.__stdout__ = open(1, "w", encoding="utf-8", closefd=False)
    sys.stderr = sys.__stderr__ = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False, buffering=1)
    if not _job["networkIsolated"]:
        _guard_network()
    ns = dict(_base)
    ns.update({"stdin": sys.stdin, "stdout": sys.stdout, "stderr": sys.stderr})
    kind = check["kind"]
    ns["__name__"] = "__main__" if kind == "stdio" else "solution"
    try:
        exec(_code, ns)
        if kind == "call":
            _call(ns, check, "res-%d" % i)
        elif kind == "assert":
            try:
                exec(compile(check["code"], "checks.py", "exec"), ns)
            except AssertionError as e:
                with open("res-%d" % i, "w") as f:
                    json.dump({"assertion": str(e)}, f)
                raise
    except SystemExit as stop:
        # LiveCodeBench takes exit() in a stdin program as its normal end; a call that exits gave no result.
        _finish(0 if kind == "stdio" else _exit_code(stop))
    except BaseException:
        sys.excepthook(*sys.exc_info())
        _finish(1)
    _finish(0)

def _fork():
    try:
        return os.fork(), None
    except OSError as e:
        return None, "could not start the check: " + os.strerror(e.errno)

def _wait(pid):
    deadline = time.monotonic() + _timeout
    try:
        handle = os.pidfd_open(pid)
    except (AttributeError, OSError):
        handle = None
    timed_out = False
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            break
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            break
        if handle is not None:
            select.select([handle], [], [], left)
        else:
            time.sleep(min(left, 0.005))
    if handle is not None:
        os.close(handle)
    return status, timed_out

def _clean_up(pid):
    if _PID1:
        try:
            os.kill(-1, signal.SIGKILL)
        except OSError:
            pass
        while True:
            try:
                os.waitpid(-1, 0)
            except ChildProcessError:
                break
    else:
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass

def _read(path, limit, tail=False):
    try:
        with open(path, "rb") as f:
            if tail:
                f.seek(0, 2)
                f.seek(max(0, f.tell() - limit))
            data = f.read(limit + 1)
    except OSError:
        return "", False
    return data[:limit].decode("utf-8", "replace"), len(data) > limit

for _i, _check in enumerate(_checks):
    with open("in-%d" % _i, "w", encoding="utf-8") as _f:
        _f.write(_check.get("input", ""))
    _started = time.monotonic()
    _pid, _problem = _fork()
    if _pid == 0:
        if not _PID1:
            os.setpgid(0, 0)
        _child(_i, _check)
    if _pid is None:
        _report({"check": _i, "setupError": _problem})
        continue
    if not _PID1:
        _report({"started": _pid})
    _status, _timed_out = _wait(_pid)
    _clean_up(_pid)
    _record = {"check": _i, "ms": round((time.monotonic() - _started) * 1000), "timedOut": _timed_out}
    if os.WIFEXITED(_status):
        _record["exitCode"] = os.WEXITSTATUS(_status)
    elif os.WIFSIGNALED(_status):
        _record["signal"] = os.WTERMSIG(_status)
    _record["stdout"], _record["stdoutTruncated"] = _read("out-%d" % _i, _out_limit)
    _record["stderr"], _ = _read("err-%d" % _i, 4096, tail=True)
    _result, _ = _read("res-%d" % _i, _out_limit * 4)
    try:
        _record["result"] = json.loads(_result) if _result else None
    except ValueError:
        _record["result"] = None
    for _name in ("in-%d", "out-%d", "err-%d", "res-%d"):
        try:
            os.unlink(_name % _i)
        except OSError:
            pass
    _report(_record)
`;
