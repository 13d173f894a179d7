/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.mmu;

import java.util.ArrayList;
import java.util.List;

import io.hvdbg.core.memory.GuestMemory;
import io.hvdbg.core.memory.MemorySlot;

/**
 * The hypervisor's G-stage page table (Sv39x4, Sv48x4 or Sv57x4), built from the memslots the
 * way KVM's kvm_riscv_gstage_map does: lazily, on the guest-page fault of the first access to
 * a page, with a 2 MiB block when the memslot covers the whole block and a 4 KiB page
 * otherwise. The tables are real PTEs in hypervisor memory (not guest-visible): table pages
 * sit at synthetic host-physical addresses above {@link #TABLE_BASE}; leaves point at the
 * host-physical view of memslots, {@code (slot id + 1) << 40 | offset} ({@link #hpa}).
 */
public final class GStage {
    /** hgatp.MODE values. */
    public static final int MODE_SV39X4 = 8;
    public static final int MODE_SV48X4 = 9;
    public static final int MODE_SV57X4 = 10;
    /** Synthetic host-physical base of the G-stage table pages. */
    public static final long TABLE_BASE = 0xF0L << 40;
    public static final int SLOT_SHIFT = 40;

    private final GuestMemory memory;
    private final int mode;
    private final int levels;
    private final int vmid;
    private final boolean blocks;
    private final List<long[]> tables = new ArrayList<>();
    private long mappedPages;
    private long mappedBlocks;

    // Result of the last walk (VM thread only).
    private int lastLevel;
    private long lastPerms;

    public GStage(GuestMemory memory, int mode, int vmid, boolean blocks) {
        if (mode < MODE_SV39X4 || mode > MODE_SV57X4) {
            throw new IllegalArgumentException("G-stage mode " + mode + " is not Sv39x4/Sv48x4/Sv57x4");
        }
        this.memory = memory;
        this.mode = mode;
        this.levels = mode - 5;
        this.vmid = vmid;
        this.blocks = blocks;
        tables.add(new long[2048]); // the x4 root: 16 KiB
    }

    /** Parses {@code sv39x4}, {@code sv48x4} or {@code sv57x4}. */
    public static int parseMode(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "sv39x4" -> MODE_SV39X4;
            case "sv48x4" -> MODE_SV48X4;
            case "sv57x4" -> MODE_SV57X4;
            default -> throw new IllegalArgumentException("bad G-stage mode '" + s + "' (sv39x4, sv48x4 or sv57x4)");
        };
    }

    public int mode() {
        return mode;
    }

    public String modeName() {
        return switch (mode) {
            case MODE_SV39X4 -> "Sv39x4";
            case MODE_SV48X4 -> "Sv48x4";
            default -> "Sv57x4";
        };
    }

    public int vmid() {
        return vmid;
    }

    /** Highest guest-physical address bit + 1 this mode translates (41, 50 or 59). */
    public int gpaBits() {
        return 12 + 9 * levels + 2;
    }

    /** The hgatp value KVM would program: MODE, VMID, root PPN. */
    public long hgatp() {
        return ((long) mode << 60) | ((long) vmid << 44) | (TABLE_BASE >>> 12);
    }

    /** Host-physical view of a memslot offset. */
    public static long hpa(MemorySlot slot, long offset) {
        return ((long) (slot.id() + 1) << SLOT_SHIFT) | offset;
    }

    public long mappedPages() {
        return mappedPages;
    }

    public long mappedBlocks() {
        return mappedBlocks;
    }

    /** Level of the leaf found by the last successful {@link #translate} (0 = 4 KiB, 1 = 2 MiB …). */
    public int lastLevel() {
        return lastLevel;
    }

    /** PTE permission bits of the leaf found by the last successful {@link #translate}. */
    public long lastPerms() {
        return lastPerms;
    }

    private int index(long gpa, int level) {
        long i = gpa >>> (12 + 9 * level);
        return (int) (level == levels - 1 ? i & 0x7FF : i & 0x1FF);
    }

    /** Walks the table: the host-physical address of {@code gpa}, or -1 if not mapped. */
    public long translate(long gpa) {
        if ((gpa >>> gpaBits()) != 0) {
            return -1;
        }
        long[] table = tables.get(0);
        for (int level = levels - 1; level >= 0; level--) {
            long pte = table[index(gpa, level)];
            if ((pte & Pte.V) == 0) {
                return -1;
            }
            if ((pte & Pte.RWX) != 0) {
                lastLevel = level;
                lastPerms = pte & 0xFF;
                long mask = (1L << (12 + 9 * level)) - 1;
                return ((Pte.ppn(pte) << 12) & ~mask) | (gpa & mask);
            }
            table = tables.get((int) (Pte.ppn(pte) - (TABLE_BASE >>> 12)));
        }
        return -1;
    }

    /**
     * Resolves a guest-page fault on {@code gpa} like KVM's gstage_page_fault: maps the page
     * (or its 2 MiB block) if a memslot backs it. Returns false if no memslot does (the access
     * is MMIO).
     */
    public boolean mapFault(long gpa) {
        MemorySlot slot = memory.slotFor(gpa);
        if (slot == null || (gpa >>> gpaBits()) != 0) {
            return false;
        }
        long perms = Pte.V | Pte.R | Pte.X | Pte.U | Pte.A | Pte.D | (slot.readOnly() ? 0 : Pte.W);
        long block = gpa & ~0x1FFFFFL;
        if (blocks && levels > 1 && block >= slot.base() && block + 0x200000 <= slot.end()
                && ((block - slot.base()) & 0x1FFFFF) == 0 && !mappedBelow(block, 1)) {
            install(block, hpa(slot, block - slot.base()), 1, perms);
            mappedBlocks++;
        } else {
            long page = gpa & ~0xFFFL;
            install(page, hpa(slot, page - slot.base()), 0, perms);
            mappedPages++;
        }
        return true;
    }

    /** True if the level-{@code level} entry covering gpa already points to a table (so a block cannot go there). */
    private boolean mappedBelow(long gpa, int level) {
        long[] table = tables.get(0);
        for (int l = levels - 1; l > level; l--) {
            long pte = table[index(gpa, l)];
            if ((pte & Pte.V) == 0) {
                return false;
            }
            if ((pte & Pte.RWX) != 0) {
                return false;
            }
            table = tables.get((int) (Pte.ppn(pte) - (TABLE_BASE >>> 12)));
        }
        long pte = table[index(gpa, level)];
        return (pte & Pte.V) != 0 && (pte & Pte.RWX) == 0;
    }

    private void install(long gpa, long hpa, int leafLevel, long perms) {
        long[] table = tables.get(0);
        for (int level = levels - 1; level > leafLevel; level--) {
            int i = index(gpa, level);
            long pte = table[i];
            if ((pte & Pte.V) == 0 || (pte & Pte.RWX) != 0) {
                tables.add(new long[512]);
                long ppn = (TABLE_BASE >>> 12) + tables.size() - 1;
                pte = (ppn << 10) | Pte.V;
                table[i] = pte;
            }
            table = tables.get((int) (Pte.ppn(pte) - (TABLE_BASE >>> 12)));
        }
        table[index(gpa, leafLevel)] = ((hpa >>> 12) << 10) | perms;
    }

    /** Removes every mapping (e.g. when memslots change); the caller flushes TLBs (hfence.gvma). */
    public void clear() {
        tables.clear();
        tables.add(new long[2048]);
        mappedPages = 0;
        mappedBlocks = 0;
    }

    /** Number of table pages in use (root counts as one). */
    public int tablePages() {
        return tables.size();
    }
}
