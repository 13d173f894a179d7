/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.hvdbg.core.memory.GuestMemory;
import io.hvdbg.core.memory.MemorySlot;

/**
 * Decoded instructions per guest-physical code page, shared by the VM's vCPUs. A page holding
 * decoded code is flagged in its memslot's page flags; a store to such a page (by a vCPU, the
 * debugger, a loader or a device) drops the page's decoded forms.
 */
public final class DecodeCache {
    /** Memslot page flag: the page holds decoded instructions. */
    static final byte CODE = 1;

    private final Map<Long, Insn[]> pages = new HashMap<>();
    private final List<X86Vcpu> vcpus = new ArrayList<>();
    private long invalidations;

    public DecodeCache(GuestMemory memory) {
        memory.addWriteObserver((gpa, length) -> {
            for (long p = gpa & ~0xFFFL; p < gpa + length; p += 0x1000) {
                MemorySlot s = memory.slotFor(p);
                if (s != null && (s.pageFlags()[(int) ((p - s.base()) >>> 12)] & CODE) != 0) {
                    invalidate(s, p);
                }
            }
        });
    }

    void attach(X86Vcpu v) {
        vcpus.add(v);
    }

    /** The decoded-instruction array of a page, created (and the page flagged) on first use. */
    synchronized Insn[] page(MemorySlot slot, long gpaPage) {
        Insn[] p = pages.get(gpaPage);
        if (p == null) {
            p = new Insn[4096];
            pages.put(gpaPage, p);
            slot.pageFlags()[(int) ((gpaPage - slot.base()) >>> 12)] |= CODE;
            for (X86Vcpu v : vcpus) {
                v.tlb.protectPage(gpaPage);
            }
        }
        return p;
    }

    /** Drops the decoded forms of a page (its bytes changed). */
    synchronized void invalidate(MemorySlot slot, long gpaPage) {
        slot.pageFlags()[(int) ((gpaPage - slot.base()) >>> 12)] &= ~CODE;
        pages.remove(gpaPage);
        invalidations++;
        for (X86Vcpu v : vcpus) {
            v.dropFetchPage();
        }
    }

    public synchronized long invalidations() {
        return invalidations;
    }

    public synchronized int cachedPages() {
        return pages.size();
    }
}
