/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpu;

/**
 * The vCPU's TLB, behind the MMU: a direct-mapped array of 4 KiB translations with separate
 * tags for reads, writes and instruction fetches, so a fast-path hit also proves the access is
 * allowed (a write tag exists only for writable pages whose dirty bit is already set and that
 * hold no decoded code). Tags include the privilege (user/supervisor) of the access. Larger
 * pages are cached per 4 KiB piece; INVLPG of any address flushes everything while a large
 * page is cached. PCID/VPID tagging belongs to the later TLB issue and plugs in here.
 */
public final class X86Tlb {
    static final int BITS = 10;
    static final int SIZE = 1 << BITS;
    static final int MASK = SIZE - 1;
    static final long INVALID = -1L;

    final long[] readTag = new long[SIZE];
    final long[] writeTag = new long[SIZE];
    final long[] fetchTag = new long[SIZE];
    final byte[][] data = new byte[SIZE][];
    final int[] offset = new int[SIZE];
    final long[] gpaPage = new long[SIZE];
    final boolean[] global = new boolean[SIZE];
    private boolean largeCached;
    private long flushes;
    private long hits;
    private long misses;

    X86Tlb() {
        flushAll();
    }

    static long tag(long la, int user) {
        return ((la >>> 12) << 1) | user;
    }

    void fill(long la, int user, byte[] bytes, int off, long gpa, boolean writable, boolean fetchable, boolean isGlobal,
            boolean large) {
        int i = (int) (la >>> 12) & MASK;
        long t = tag(la, user);
        readTag[i] = t;
        writeTag[i] = writable ? t : INVALID;
        fetchTag[i] = fetchable ? t : INVALID;
        data[i] = bytes;
        offset[i] = off;
        gpaPage[i] = gpa;
        global[i] = isGlobal;
        largeCached |= large;
        misses++;
    }

    /** Drops write permission of entries mapping a guest-physical page (it now holds decoded code). */
    void protectPage(long gpaPageAddress) {
        for (int i = 0; i < SIZE; i++) {
            if (gpaPage[i] == gpaPageAddress) {
                writeTag[i] = INVALID;
            }
        }
    }

    void flushAll() {
        java.util.Arrays.fill(readTag, INVALID);
        java.util.Arrays.fill(writeTag, INVALID);
        java.util.Arrays.fill(fetchTag, INVALID);
        java.util.Arrays.fill(gpaPage, -1L);
        largeCached = false;
        flushes++;
    }

    void flushNonGlobal() {
        for (int i = 0; i < SIZE; i++) {
            if (!global[i]) {
                readTag[i] = INVALID;
                writeTag[i] = INVALID;
                fetchTag[i] = INVALID;
                gpaPage[i] = -1;
            }
        }
        flushes++;
    }

    void flushPage(long la) {
        if (largeCached) {
            flushAll();
            return;
        }
        int i = (int) (la >>> 12) & MASK;
        readTag[i] = INVALID;
        writeTag[i] = INVALID;
        fetchTag[i] = INVALID;
        gpaPage[i] = -1;
    }

    public long flushes() {
        return flushes;
    }

    public long misses() {
        return misses;
    }

    public long hits() {
        return hits;
    }
}
