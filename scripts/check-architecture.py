#!/usr/bin/env python3
"""Checks the architecture rules that the compiler does not.

  check-architecture.py layers <source dir>
      Every `#include "<folder>/…"` between folders of core/src is allowed by
      core/src/layers.txt, and the allowed graph written there has no cycle.
  check-architecture.py plugin-boundary <source dir>
      Plugins include only the SDK (<b3s/plugin/…>), the support library (<b3s/support/…>),
      their own files and third-party headers, and their CMake files link nothing of core;
      core includes nothing from plugins/ and names no concrete plugin (a plugin's name as a
      string literal) outside the documented places listed in NAMED_ON_PURPOSE.
  check-architecture.py self-test
      Runs both checks on small trees with one violation each and fails unless each is found.

Exit code 0 when clean, 1 with one line per violation on stderr. Written by us: no include
graph tool in Debian checks a layering written as folders.
"""
import os
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)

# Where core may spell a plugin's name, and why. Anything else is dispatch on a concrete
# plugin, which belongs in the plugin.
NAMED_ON_PURPOSE = {
    ("core/src/config/core_settings.cpp", None): "the documented default of each B3SCALE_<KIND>_PLUGIN",
    ("core/src/api/openapi_document.cpp", "jwt"): "b3scale's OpenAPI security scheme is called jwt",
}


def source_files(root, exts=(".cpp", ".hpp", ".h", ".cc")):
    for base, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(exts):
                yield os.path.join(base, name)


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def without_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def parse_layers(path):
    allowed, order, problems = {}, [], []
    for number, line in enumerate(read(path).splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if ":" not in line:
            problems.append(f"{path}:{number}: expected '<folder>: <folders it may include>'")
            continue
        folder, targets = line.split(":", 1)
        folder = folder.strip()
        if folder in allowed:
            problems.append(f"{path}:{number}: {folder} is listed twice")
        allowed[folder] = set(targets.split())
        order.append(folder)
    for folder, targets in allowed.items():
        for t in sorted(targets - set(allowed)):
            problems.append(f"{path}: {folder} may include '{t}', which is not listed")
    # The allowed graph itself must be acyclic (depth-first search, grey/black marks).
    state = {}

    def visit(node, trail):
        state[node] = "grey"
        for nxt in sorted(allowed.get(node, ())):
            if state.get(nxt) == "grey":
                problems.append(f"{path}: the allowed includes form a cycle: {' → '.join(trail + [node, nxt])}")
            elif nxt in allowed and nxt not in state:
                visit(nxt, trail + [node])
        state[node] = "black"

    for folder in order:
        if folder not in state:
            visit(folder, [])
    return allowed, problems


def check_layers(root):
    src = os.path.join(root, "core", "src")
    allowed, problems = parse_layers(os.path.join(src, "layers.txt"))
    folders = {d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d))}
    for d in sorted(folders - set(allowed)):
        problems.append(f"core/src/{d}/ is not in core/src/layers.txt: add it with the folders it may include")
    for path in source_files(src):
        rel = os.path.relpath(path, src)
        owner = rel.split(os.sep, 1)[0] if os.sep in rel else rel
        for kind, target in INCLUDE.findall(read(path)):
            if kind != '"' or "/" not in target:
                continue
            folder = target.split("/", 1)[0]
            if folder == owner or folder not in folders:
                continue
            if folder not in allowed.get(owner, set()):
                problems.append(f"core/src/{rel}: includes \"{target}\", but {owner} may not include {folder} "
                                f"(core/src/layers.txt)")
    return problems


def plugin_folders(root):
    plugins = os.path.join(root, "plugins")
    for kind in sorted(os.listdir(plugins)):
        kind_dir = os.path.join(plugins, kind)
        if not os.path.isdir(kind_dir):
            continue
        for name in sorted(os.listdir(kind_dir)):
            if os.path.isdir(os.path.join(kind_dir, name)):
                yield kind, name, os.path.join(kind_dir, name)


def check_plugin_boundary(root):
    problems = []
    names = set()
    for kind, name, folder in plugin_folders(root):
        names.add(name)
        for path in source_files(folder):
            rel = os.path.relpath(path, root)
            for kind_char, target in INCLUDE.findall(read(path)):
                if kind_char == '"':
                    candidates = [os.path.join(os.path.dirname(path), target)]
                    candidates += [os.path.join(folder, sub, target) for sub in ("src", "tests")]
                    if not any(os.path.isfile(c) and os.path.realpath(c).startswith(os.path.realpath(folder) + os.sep)
                               for c in candidates):
                        problems.append(f"{rel}: includes \"{target}\", which is not a file of this plugin "
                                        f"(plugins see core only through <b3s/plugin/…> and <b3s/support/…>)")
                elif target.startswith("b3s/") and not target.startswith(("b3s/plugin/", "b3s/support/")):
                    problems.append(f"{rel}: includes <{target}>: plugins may include only the SDK "
                                    f"(<b3s/plugin/…>) and the support library (<b3s/support/…>)")
        for path in source_files(folder, exts=("CMakeLists.txt",)):
            text = "\n".join(line.split("#", 1)[0] for line in read(path).splitlines())
            for forbidden in ("b3s_core", "core/src"):
                if forbidden in text:
                    problems.append(f"{os.path.relpath(path, root)}: names {forbidden}: a plugin links only "
                                    f"b3s::plugin_api, b3s::support and third-party libraries")
    core = os.path.join(root, "core")
    for path in source_files(core):
        rel = os.path.relpath(path, root)
        text = read(path)
        for _, target in INCLUDE.findall(text):
            if re.match(r"(\.\./)*plugins/", target):
                problems.append(f"{rel}: includes {target} from plugins/")
        code = without_comments(text)
        for name in sorted(names):
            if f'"{name}"' not in code:
                continue
            if (rel, None) in NAMED_ON_PURPOSE or (rel, name) in NAMED_ON_PURPOSE:
                continue
            problems.append(f"{rel}: names the plugin '{name}' (\"{name}\"): core must not dispatch on a "
                            f"concrete plugin (allowed places: scripts/check-architecture.py NAMED_ON_PURPOSE)")
    return problems


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def self_test():
    """Each check must find the one violation planted in an otherwise clean tree."""
    failures = []
    with tempfile.TemporaryDirectory() as root:
        write(os.path.join(root, "core/src/layers.txt"), "util:\nstore: util\n")
        write(os.path.join(root, "core/src/util/a.hpp"), '#include "util/b.hpp"\n')
        write(os.path.join(root, "core/src/store/s.hpp"), '#include "util/a.hpp"\n')
        write(os.path.join(root, "plugins/balancer/demo/src/demo.cpp"),
              '#include "demo.hpp"\n#include <b3s/plugin/balancer.hpp>\n')
        write(os.path.join(root, "plugins/balancer/demo/src/demo.hpp"), "")
        write(os.path.join(root, "plugins/balancer/demo/CMakeLists.txt"), "b3s_add_plugin(KIND balancer NAME demo)\n")
        if check_layers(root) or check_plugin_boundary(root):
            failures.append(f"the clean tree is not clean: {check_layers(root) + check_plugin_boundary(root)}")
        cases = [
            ("an include against the grain", "core/src/util/c.hpp", '#include "store/s.hpp"\n', check_layers),
            ("a folder missing from layers.txt", "core/src/extra/x.hpp", "", check_layers),
            ("a cycle in layers.txt", "core/src/layers.txt", "util: store\nstore: util\n", check_layers),
            ("a plugin including core", "plugins/balancer/demo/src/bad.cpp", '#include "cluster/fan_out.hpp"\n',
             check_plugin_boundary),
            ("a plugin including core's private headers", "plugins/balancer/demo/src/bad.cpp",
             "#include <b3s/generated/build_info.hpp>\n", check_plugin_boundary),
            ("a plugin linking core", "plugins/balancer/demo/CMakeLists.txt",
             "b3s_add_plugin(KIND balancer NAME demo LIBRARIES b3s_core)\n", check_plugin_boundary),
            ("core naming a plugin", "core/src/store/pick.cpp", 'auto n = "demo";\n', check_plugin_boundary),
            ("core including a plugin", "core/src/store/inc.cpp", '#include "../../plugins/balancer/demo/src/demo.hpp"\n',
             check_plugin_boundary),
        ]
        for what, rel, text, check in cases:
            path = os.path.join(root, rel)
            before = read(path) if os.path.exists(path) else None
            write(path, text)
            if not check(root):
                failures.append(f"{check.__name__} did not find {what}")
            if before is None:
                os.remove(path)
            else:
                write(path, before)
    return failures


def main(argv):
    if len(argv) == 2 and argv[1] == "self-test":
        problems = self_test()
    elif len(argv) == 3 and argv[1] in ("layers", "plugin-boundary"):
        check = check_layers if argv[1] == "layers" else check_plugin_boundary
        problems = check(os.path.abspath(argv[2]))
    else:
        print("usage: check-architecture.py layers|plugin-boundary <source dir> | self-test", file=sys.stderr)
        return 2
    for p in problems:
        print(p, file=sys.stderr)
    if not problems:
        print(f"{argv[1]}: ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
