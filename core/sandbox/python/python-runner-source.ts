/**
 * The Python half of the Python code runner, executed once when the interpreter boots. It defines
 * two steps. `__waggle_run(code, inputs_json)` runs a Dify code node's source with Dify's semantics
 * — `main(**inputs)` must return a dict — under the host's interrupt budget. Once the host has
 * disarmed the interrupt, `__waggle_finish(max_output_chars)` restores the boot state and answers
 * one string: `"R"` + the result as JSON, or `"E"` + `{"kind", "error"}` as JSON. `builtins` and
 * the json modules are restored before serialising, so tampering with them cannot reach our own
 * code; after a success the rest of the restore runs once the answer is out (`__waggle_restore`).
 *
 * Between executions it puts the interpreter back to its boot state (new modules dropped, boot
 * modules' attributes, `builtins`, `sys.path`/`meta_path` restored), and user code sees a private
 * copy of the builtins whose `__import__` refuses the JavaScript bridges. This is defence in depth:
 * the boundary is the tenant's own isolate, which has no network, no bindings and no secrets.
 */
export const pythonRunnerSource = String.raw`
import builtins as _builtins
import gc as _gc
import json as _json
import operator as _operator
import sys as _sys
import traceback as _traceback

# Imported at boot so that user code finds them warm and they are part of the restored state.
import base64, binascii, bisect, calendar, collections, copy, csv, dataclasses, datetime, decimal
import enum, fractions, functools, hashlib, heapq, hmac, html, io, itertools, math, operator
import random, re, secrets, statistics, string, textwrap, time, typing, unicodedata, uuid, zlib
import urllib.parse

# The host unregistered the JavaScript bridges before this ran; drop what boot imported of them.
for _bridge in ("js", "pyodide_js"):
    _sys.modules.pop(_bridge, None)

_boot_recursion_limit = _sys.getrecursionlimit()
_set_recursion_limit = _sys.setrecursionlimit


def _capped_setrecursionlimit(limit):
    # Past the boot limit, deep recursion overflows the JavaScript stack and kills the interpreter.
    _set_recursion_limit(min(int(limit), _boot_recursion_limit))


_sys.setrecursionlimit = _capped_setrecursionlimit

_BLOCKED = frozenset({"js", "pyodide_js", "pyodide", "_pyodide", "_pyodide_core", "micropip", "pyodide_http"})
_MISSING = object()
_real_import = _builtins.__import__


def _guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
    root = name.partition(".")[0]
    if level == 0 and root in _BLOCKED:
        raise ModuleNotFoundError(f"No module named '{root}' (the Python sandbox has no JavaScript bridge)", name=root)
    return _real_import(name, globals, locals, fromlist, level)


_boot_builtins = dict(_builtins.__dict__)
_boot_modules = dict(_sys.modules)
_boot_module_names = tuple(_boot_modules)
_boot_module_objects = tuple(_boot_modules.values())
# Per boot module: its live dict, a copy, and its keys and values in order. Checking identity with
# all(map(operator.is_, …)) runs in C, so an untouched module costs almost nothing to verify; any
# change (a value replaced, a key added, removed or reordered) restores the whole dict.
_is = _operator.is_
_boot_module_dicts = []
# What serialising a result touches: restored before it, the rest after the answer is out.
_serializer_dicts = []
for _name, _module in _boot_modules.items():
    _d = getattr(_module, "__dict__", None)
    if isinstance(_d, dict):
        _entry = (_d, dict(_d), tuple(_d), tuple(_d.values()))
        _boot_module_dicts.append(_entry)
        if _name in ("json", "json.encoder", "json.decoder", "json.scanner", "_json"):
            _serializer_dicts.append(_entry)
_boot_lists = [(_lst, list(_lst)) for _lst in (_sys.path, _sys.meta_path, _sys.path_hooks, _gc.callbacks)]
_boot_path_cache = dict(_sys.path_importer_cache)
_stdlib = frozenset(_sys.stdlib_module_names)


_builtins_dict = _builtins.__dict__


def _restore_dicts(entries):
    for d, snapshot, keys, values in entries:
        if len(d) == len(keys) and all(map(_is, d.values(), values)) and all(map(_is, d, keys)):
            continue
        d.clear()
        d.update(snapshot)


_restore_pending = False


def _restore():
    global _restore_pending
    # builtins first: everything below (ours included) looks names up there.
    _builtins_dict.clear()
    _builtins_dict.update(_boot_builtins)
    modules = _sys.modules
    _restore_dicts(_boot_module_dicts)
    if not (len(modules) == len(_boot_module_names) and all(map(_is, modules, _boot_module_names)) and all(map(_is, modules.values(), _boot_module_objects))):
        for name in [n for n in modules if n not in _boot_modules]:
            del modules[name]
        for name, module in _boot_modules.items():
            if modules.get(name, _MISSING) is not module:
                modules[name] = module
    for lst, snapshot in _boot_lists:
        if len(lst) != len(snapshot) or any(a is not b for a, b in zip(lst, snapshot)):
            lst[:] = snapshot
    _sys.path_importer_cache.clear()
    _sys.path_importer_cache.update(_boot_path_cache)
    _sys.settrace(None)
    _sys.setprofile(None)
    _set_recursion_limit(_boot_recursion_limit)
    _restore_pending = False


def _fresh_builtins():
    fresh = dict(_boot_builtins)
    fresh["__import__"] = _guarded_import
    return fresh


def _user_line(error):
    line = None
    for frame in _traceback.extract_tb(error.__traceback__):
        if frame.filename == "<code>":
            line = frame.lineno
    return f" (line {line})" if line else ""


def _describe(error):
    if isinstance(error, ModuleNotFoundError) and error.name:
        root = error.name.partition(".")[0]
        if root not in _stdlib and root not in _BLOCKED:
            return f"Python package '{root}' is not available in Waggle's sandbox; only the standard library can be imported{_user_line(error)}"
        if root in _stdlib and root == error.name:
            return f"Python module '{root}' is part of the standard library but not included in Waggle's sandbox{_user_line(error)}"
    text = str(error)
    return f"{type(error).__name__}: {text}{_user_line(error)}" if text else f"{type(error).__name__}{_user_line(error)}"


def _fail(kind, error):
    return "E" + _json.dumps({"kind": kind, "error": error}, ensure_ascii=False)


_outcome = None


def _execute(code, inputs_json):
    try:
        compiled = compile(code, "<code>", "exec")
    except SyntaxError as error:
        where = f" (line {error.lineno})" if error.lineno else ""
        return ("syntax", f"{type(error).__name__}: {error.msg}{where}")
    inputs = _json.loads(inputs_json)  # before user code runs, so tampering cannot reach it
    scope = {"__name__": "__main__", "__builtins__": _fresh_builtins()}
    try:
        exec(compiled, scope)
        main = scope.get("main")
        if not callable(main):
            return ("runtime", "The code must define a function main(...) that returns a dict")
        return ("ok", main(**inputs))
    except KeyboardInterrupt:
        return ("timeout", "interrupted")
    except MemoryError:
        return ("memory", "MemoryError")
    except BaseException as error:
        return ("error", error)


def __waggle_restore():
    """Step 0 / 3: the full restore still owed by a successful execution. The host calls it once
    the answer is out and again, unarmed, before the next execution starts (a no-op if done)."""
    if _restore_pending:
        _restore()


def __waggle_run(code, inputs_json):
    """Step 1: runs the user's code under the interrupt budget; keeps the outcome for step 2."""
    global _outcome, _restore_pending
    _outcome = None
    _restore_pending = True
    _outcome = _execute(code, inputs_json)


def __waggle_finish(max_output_chars):
    """Step 2, after the host disarmed the interrupt. A failure restores the boot state, then
    reports. A success restores what serialising needs (builtins, the json modules), serialises and
    answers; the rest of the restore (about 5 ms of checks across every boot module) waits for
    __waggle_restore, off the answer's path."""
    global _outcome
    outcome, _outcome = _outcome, None
    if outcome is None or outcome[0] != "ok":
        _restore()
    if outcome is None:
        return _fail("timeout", "interrupted")
    kind, value = outcome
    if kind == "error":
        return _fail("runtime", _describe(value))
    if kind != "ok":
        return _fail(kind, value)
    _builtins_dict.clear()
    _builtins_dict.update(_boot_builtins)
    _restore_dicts(_serializer_dicts)
    if not isinstance(value, dict):
        return _fail("invalid_output", f"main() must return a dict, not {type(value).__name__}")
    try:
        text = _json.dumps(value, ensure_ascii=False, allow_nan=False)
    except RecursionError:
        return _fail("invalid_output", "The dict returned by main() is nested too deeply")
    except (TypeError, ValueError) as error:
        return _fail("invalid_output", f"The dict returned by main() is not JSON-serialisable: {error}")
    if len(text) > max_output_chars:
        return _fail("output_too_large", f"The result is {len(text)} characters as JSON; the limit is {max_output_chars}")
    return "R" + text
`;
