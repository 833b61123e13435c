#!/usr/bin/env python3
"""Which of the store's databases the pages a process had mapped in belong to.

    bench/mem/owners.py [--top N] DATA.MDB PAGES...

PAGES: files of page numbers of DATA.MDB, one a line, as bench/tui/keytime.so
writes them with FCBENCH_PAGES=FILE (the pages the TUI had mapped in when it
closed the store). Walks every B-tree of the LMDB file (the free list, the
main database and each named database, overflow pages too) to learn each
page's owner, then prints for each PAGES file the pages and MB per database,
largest first (the N largest with --top N). Reads the file format of LMDB 0.9 (4 kB pages, 64-bit), the
one fitcase uses; a page no tree reaches is "unused" (free or the metas).
Used for docs/bench.md, "TUI memory"; not part of `make bench`.
"""
import array
import collections
import mmap
import struct
import sys

PS = 4096
P_BRANCH, P_LEAF, P_OVERFLOW = 0x01, 0x02, 0x04
F_BIGDATA, F_SUBDATA = 0x01, 0x02
DB = struct.Struct('<IHHQQQQQ')      # MDB_db: pad, flags, depth, 4 counts, root


def owners(path):
    with open(path, 'rb') as f:
        m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    npages = len(m) // PS
    owner = array.array('h', [-1]) * npages
    names = ['(free list)', '(main)']

    def meta(p):
        o = p * PS + 16                       # page header
        dbs = [DB.unpack_from(m, o + 24 + DB.size * i) for i in range(2)]
        txnid = struct.unpack_from('<Q', m, o + 24 + 2 * DB.size + 8)[0]
        return txnid, dbs

    _, dbs = max(meta(0), meta(1))

    def walk(root, idx, named=None):
        stack = [root]
        while stack:
            p = stack.pop()
            if p >= npages:
                continue
            o = p * PS
            flags, lower = struct.unpack_from('<HH', m, o + 10)
            owner[p] = idx
            if flags & P_OVERFLOW:
                n = struct.unpack_from('<I', m, o + 12)[0]
                for q in range(p, min(p + n, npages)):
                    owner[q] = idx
                continue
            for i in range((lower - 16) // 2):
                no = o + struct.unpack_from('<H', m, o + 16 + 2 * i)[0]
                lo, hi, fl, ks = struct.unpack_from('<HHHH', m, no)
                if flags & P_BRANCH:
                    stack.append(lo | hi << 16 | fl << 32)
                elif flags & P_LEAF and fl & F_BIGDATA:
                    stack.append(struct.unpack_from('<Q', m, no + 8 + ks)[0])
                elif flags & P_LEAF and fl & F_SUBDATA and named is not None:
                    name = bytes(m[no + 8:no + 8 + ks]).decode(errors='replace')
                    named.append((name, DB.unpack_from(m, no + 8 + ks)[7]))

    named = []
    walk(dbs[0][7], 0)
    walk(dbs[1][7], 1, named)
    for name, root in named:
        names.append(name)
        walk(root, len(names) - 1)
    return names, owner


def main():
    args = sys.argv[1:]
    top = None
    if len(args) > 1 and args[0] == '--top':
        top = int(args[1])
        args = args[2:]
    if len(args) < 2:
        sys.exit('usage: owners.py [--top N] DATA.MDB PAGES...')
    names, owner = owners(args[0])
    for path in args[1:]:
        count = collections.Counter()
        with open(path) as f:
            for line in f:
                p = int(line)
                o = owner[p] if p < len(owner) else -1
                count[names[o] if o >= 0 else 'unused'] += 1
        total = sum(count.values())
        print('%s: %d pages, %.1f MB' % (path, total, total * PS / 1048576))
        for name, n in count.most_common(top):
            print('  %-16s %7d %7.1f MB' % (name, n, n * PS / 1048576))


if __name__ == '__main__':
    main()
