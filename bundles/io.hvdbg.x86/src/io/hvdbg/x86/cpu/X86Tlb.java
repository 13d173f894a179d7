/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpu;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.hvdbg.core.tlb.FlushRecord;
import io.hvdbg.core.tlb.TlbEntry;
import io.hvdbg.core.tlb.TlbModel;

/**
 * The vCPU's TLB, behind the MMU: a direct-mapped array of 4 KiB translations with separate
 * tags for reads, writes and instruction fetches, so a fast-path hit also proves the access is
 * allowed (a write tag exists only for writable pages whose dirty bit is already set and that
 * hold no decoded code). Tags include the privilege (user/supervisor) of the access. Larger
 * pages are cached per 4 KiB piece and remember their page size, so INVLPG of any address in
 * a large page drops all its pieces. Entries are tagged with the PCID they were filled under
 * (a lookup hits only the current PCID's entries; global entries follow the current PCID) and
 * carry the vCPU's VPID (Intel) or ASID (AMD).
 * <p>
 * Besides the architectural flushes, the hypervisor's flush requests are modelled like KVM's
 * {@code KVM_REQ_TLB_FLUSH_GUEST} / {@code _CURRENT}: recorded with their cause when made,
 * coalesced, and serviced at the next VM entry (one VMCB TLB_CONTROL flush on AMD, INVVPID /
 * INVEPT on Intel), each counted by cause.
 */
public final class X86Tlb implements TlbModel {
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
    final boolean[] largePage = new boolean[SIZE];
    /** PCID an entry was filled under (global entries are retagged to the current PCID). */
    final int[] space = new int[SIZE];
    final long[] pageSize = new long[SIZE];
    /** The current PCID (CR3[11:0] with CR4.PCIDE, else 0): lookups compare it. */
    int currentPcid;
    /** KVM request bits pending until the next VM entry. */
    public static final int REQ_FLUSH_CURRENT = 1, REQ_FLUSH_GUEST = 2;
    int pendingRequests;
    private final Map<String, Long> requestCauses = new TreeMap<>();
    private boolean amd;
    private int vmTag = 1;
    private final Map<String, Long> flushCauses = new TreeMap<>();
    private final ArrayDeque<FlushRecord> history = new ArrayDeque<>();
    private int vcpu;
    /** Guest time of the owning vCPU, for flush records. */
    private java.util.function.LongSupplier clock = () -> 0;
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
        fill(la, user, bytes, off, gpa, writable, fetchable, isGlobal, large ? 2L << 20 : 4096);
    }

    void fill(long la, int user, byte[] bytes, int off, long gpa, boolean writable, boolean fetchable, boolean isGlobal,
            long size) {
        boolean large = size > 4096;
        int i = (int) (la >>> 12) & MASK;
        space[i] = currentPcid;
        pageSize[i] = size;
        long t = tag(la, user);
        readTag[i] = t;
        writeTag[i] = writable ? t : INVALID;
        fetchTag[i] = fetchable ? t : INVALID;
        data[i] = bytes;
        offset[i] = off;
        gpaPage[i] = gpa;
        global[i] = isGlobal;
        largePage[i] = large;
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

    private void drop(int i) {
        readTag[i] = INVALID;
        writeTag[i] = INVALID;
        fetchTag[i] = INVALID;
        gpaPage[i] = -1;
    }

    /** Linear page base of a valid entry (canonical). */
    private long entryVa(int i) {
        long va = (readTag[i] >>> 1) << 12;
        return va;
    }

    /** True if entry i translates {@code la} (any piece of a large page counts). */
    private boolean covers(int i, long la) {
        return readTag[i] != INVALID && ((entryVa(i) ^ la) & ~(pageSize[i] - 1)) == 0;
    }

    /** INVLPG: the current PCID's and the global translations of {@code la} (whole large pages). */
    void flushPage(long la) {
        if (!largeCached) {
            int i = (int) (la >>> 12) & MASK;
            if (space[i] == currentPcid || global[i]) {
                drop(i);
            }
            return;
        }
        for (int i = 0; i < SIZE; i++) {
            if (covers(i, la) && (space[i] == currentPcid || global[i])) {
                drop(i);
            }
        }
    }

    /** INVPCID type 0: non-global translations of {@code la} tagged {@code pcid}. */
    void flushAddress(long la, int pcid) {
        for (int i = 0; i < SIZE; i++) {
            if (covers(i, la) && space[i] == pcid && !global[i]) {
                drop(i);
            }
        }
    }

    /** MOV CR3 with CR4.PCIDE and bit 63 clear, INVPCID type 1: non-global entries of one PCID. */
    void flushPcid(int pcid) {
        for (int i = 0; i < SIZE; i++) {
            if (space[i] == pcid && !global[i]) {
                drop(i);
            }
        }
        flushes++;
    }

    /** A new current PCID: other PCIDs' entries stay but stop matching; global ones follow. */
    void switchPcid(int pcid) {
        if (pcid == currentPcid) {
            return;
        }
        currentPcid = pcid;
        for (int i = 0; i < SIZE; i++) {
            if (global[i]) {
                space[i] = pcid;
            }
        }
    }

    int currentPcid() {
        return currentPcid;
    }

    /** The VM flavour and this vCPU's hardware tag: VPID (Intel) or ASID (AMD), KVM starts both at 1. */
    void setVendor(boolean isAmd, int tag) {
        this.amd = isAmd;
        this.vmTag = tag;
    }

    /** Records a hypervisor flush request (KVM's kvm_make_request) with its cause; serviced at the next entry. */
    void request(int kind, String cause) {
        pendingRequests |= kind;
        requestCauses.merge(cause, 1L, Long::sum);
        if (history.size() >= 256) {
            history.removeFirst();
        }
        String scope = (amd ? "asid " : "vpid ") + vmTag;
        history.addLast(new FlushRecord(clock.getAsLong(), vcpu, cause, scope, 0, true, 0));
    }

    /**
     * kvm_service_local_tlb_flush_requests at VM entry: FLUSH_CURRENT then FLUSH_GUEST. On AMD
     * both set the VMCB's TLB_CONTROL to flush this ASID, so coalesced requests are one flush at
     * VMRUN; on Intel FLUSH_CURRENT is an INVEPT of the current EPTP and FLUSH_GUEST an INVVPID.
     */
    void serviceRequests() {
        int r = pendingRequests;
        pendingRequests = 0;
        if (amd) {
            hardwareFlush("VMRUN TLB_CONTROL_FLUSH_ASID");
        } else {
            if ((r & REQ_FLUSH_CURRENT) != 0) {
                hardwareFlush("INVEPT single-context (KVM_REQ_TLB_FLUSH_CURRENT)");
            }
            if ((r & REQ_FLUSH_GUEST) != 0) {
                hardwareFlush("INVVPID single-context (KVM_REQ_TLB_FLUSH_GUEST)");
            }
        }
    }

    private void hardwareFlush(String cause) {
        int n = 0;
        for (int i = 0; i < SIZE; i++) {
            if (readTag[i] != INVALID) {
                n++;
            }
        }
        flushAll();
        flushCauses.merge(cause, 1L, Long::sum);
        if (history.size() >= 256) {
            history.removeFirst();
        }
        history.addLast(new FlushRecord(clock.getAsLong(), vcpu, cause, (amd ? "asid " : "vpid ") + vmTag, 0, false, n));
    }

    void attach(int vcpuIndex, java.util.function.LongSupplier guestClock) {
        this.vcpu = vcpuIndex;
        this.clock = guestClock;
    }

    /** Records an architectural flush (CR3 write, INVLPG, CR4.PGE toggle …) for the views. */
    void record(String cause, String scope, long address) {
        flushCauses.merge(cause, 1L, Long::sum);
        if (history.size() >= 256) {
            history.removeFirst();
        }
        history.addLast(new FlushRecord(clock.getAsLong(), vcpu, cause, scope, address, false, 0));
    }

    @Override
    public List<TlbEntry> entries() {
        List<TlbEntry> out = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            long t = readTag[i];
            if (t == INVALID) {
                continue;
            }
            long va = (t >>> 1) << 12;
            if ((va & (1L << 47)) != 0) {
                va |= 0xFFFF_0000_0000_0000L; // canonical form
            }
            String perm = "r" + (writeTag[i] == t ? "w" : "-") + (fetchTag[i] == t ? "x" : "-") + ((t & 1) != 0 ? "u" : "s");
            out.add(new TlbEntry(va, gpaPage[i], gpaPage[i], pageSize[i], space[i], vmTag, global[i], perm, true,
                    writeTag[i] == t));
        }
        return out;
    }

    @Override
    public Map<String, Long> flushesByCause() {
        return Map.copyOf(flushCauses);
    }

    @Override
    public Map<String, Long> requestsByCause() {
        return Map.copyOf(requestCauses);
    }

    @Override
    public List<FlushRecord> history(int max) {
        List<FlushRecord> all = new ArrayList<>(history);
        return all.subList(Math.max(0, all.size() - max), all.size());
    }

    @Override
    public Map<String, String> properties() {
        return Map.of("entries", Integer.toString(SIZE), "tagging", "PCID per entry, " + (amd ? "ASID " : "VPID ") + vmTag,
                "current-pcid", Integer.toString(currentPcid), "granularity", "4 KiB pieces of 4K/2M/1G pages",
                "amd-cr4-pge-flush", amd ? (preKernel614 ? "pre-6.14" : "6.14") : "n/a (Intel)");
    }

    boolean preKernel614;

    /** AMD only: model svm_set_cr4 before Linux 6.14 (its own flush of the current ASID on a CR4.PGE toggle). */
    void setPre614PgeFlush(boolean pre) {
        this.preKernel614 = pre;
    }

    boolean pre614PgeFlush() {
        return amd && preKernel614;
    }

    public long flushes() {
        return flushes;
    }

    @Override
    public long misses() {
        return misses;
    }

    @Override
    public long hits() {
        return hits;
    }
}
