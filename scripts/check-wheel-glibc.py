"""Check that the executables in a manylinux wheel need no newer glibc than the
wheel's tag claims, as auditwheel does: read each ELF file's dynamic section
(the shared libraries it loads) and its version needs (`.gnu.version_r`:
GLIBC_2.x, GCC_x.y), and compare them with the manylinux policy of the tag.

    python3 scripts/check-wheel-glibc.py dist/venvoy-*.whl

Standard library only. Exits 1 when a file needs more than the tag allows.
"""

import re
import struct
import sys
import zipfile

# manylinux2014 / manylinux_2_17 policy (PEP 599) for the libraries and the
# libgcc symbol versions; glibc's limit comes from the tag itself.
ALLOWED_LIBS = {
    "libc.so.6", "libm.so.6", "libdl.so.2", "librt.so.1", "libpthread.so.0",
    "libgcc_s.so.1", "libstdc++.so.6", "libnsl.so.1", "libutil.so.1",
    "libresolv.so.2", "libcrypt.so.1", "ld-linux-x86-64.so.2",
    "ld-linux-aarch64.so.1", "ld-linux.so.2",
}
GCC_MAX = (4, 8, 0)

SHT_DYNAMIC = 6
SHT_GNU_VERNEED = 0x6FFFFFFE
DT_NEEDED = 1


def version_tuple(text):
    return tuple(int(p) for p in text.split("."))


def cstr(data, offset):
    end = data.index(b"\0", offset)
    return data[offset:end].decode("ascii", "replace")


def elf_needs(data):
    """(shared libraries, {library: [version names]}) of a 64-bit little-endian ELF file."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError("not a 64-bit little-endian ELF file")
    (shoff,) = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]

    def section_data(index):
        s = sections[index]
        return data[s[4] : s[4] + s[5]]

    libs, versions = [], {}
    for _name, kind, _flags, _addr, offset, size, link, info, _align, _entsize in sections:
        if kind == SHT_DYNAMIC:
            strtab = section_data(link)
            for pos in range(offset, offset + size, 16):
                tag, value = struct.unpack_from("<qQ", data, pos)
                if tag == DT_NEEDED:
                    libs.append(cstr(strtab, value))
        elif kind == SHT_GNU_VERNEED:
            strtab = section_data(link)
            pos = offset
            for _ in range(info):
                _ver, count, file_off, aux, next_off = struct.unpack_from("<HHIII", data, pos)
                names = versions.setdefault(cstr(strtab, file_off), [])
                apos = pos + aux
                for _ in range(count):
                    _hash, _flags, _other, name_off, anext = struct.unpack_from("<IHHII", data, apos)
                    names.append(cstr(strtab, name_off))
                    apos += anext
                pos += next_off
    return libs, versions


def glibc_of_tag(wheel_name):
    """The glibc version a wheel's file name claims (the oldest of its platform tags)."""
    platforms = wheel_name[: -len(".whl")].split("-")[-1].split(".")
    found = []
    for tag in platforms:
        m = re.match(r"manylinux_(\d+)_(\d+)_", tag)
        if m:
            found.append((int(m.group(1)), int(m.group(2))))
        elif tag.startswith("manylinux2014_"):
            found.append((2, 17))
        elif tag.startswith("manylinux2010_"):
            found.append((2, 12))
        elif tag.startswith("manylinux1_"):
            found.append((2, 5))
    if not found:
        raise SystemExit(f"{wheel_name}: no manylinux platform tag in the file name")
    return min(found)


def main(paths):
    failed = False
    for path in paths:
        name = path.rsplit("/", 1)[-1]
        limit = glibc_of_tag(name)
        checked = 0
        with zipfile.ZipFile(path) as wheel:
            for member in wheel.namelist():
                data = wheel.read(member)
                if data[:4] != b"\x7fELF":
                    continue
                checked += 1
                libs, versions = elf_needs(data)
                problems = [f"loads `{lib}`, which manylinux does not allow" for lib in libs if lib not in ALLOWED_LIBS]
                newest_glibc = (0, 0)
                for names in versions.values():
                    for v in names:
                        if v.startswith("GLIBC_") and v[6:7].isdigit():
                            needed = version_tuple(v[6:])
                            newest_glibc = max(newest_glibc, needed)
                            if needed > limit:
                                problems.append(f"needs symbol version `{v}`, newer than glibc {limit[0]}.{limit[1]}")
                        elif v.startswith("GCC_") and version_tuple(v[4:]) > GCC_MAX:
                            problems.append(f"needs `{v}` from libgcc, newer than manylinux allows")
                newest = ".".join(map(str, newest_glibc))
                if problems:
                    failed = True
                    for p in problems:
                        print(f"error: `{member}` in {name} {p}", file=sys.stderr)
                else:
                    print(
                        f"ok: `{member}` needs glibc {newest} at most (tag allows {limit[0]}.{limit[1]});"
                        f" loads {', '.join(libs) or 'nothing'}"
                    )
        if checked == 0:
            failed = True
            print(f"error: {name} holds no ELF executable to check", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit("usage: check-wheel-glibc.py WHEEL...")
    sys.exit(main(sys.argv[1:]))
