/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Guest-physical address space: RAM/ROM memslots plus MMIO regions. An address in a slot is
 * memory; an address in an MMIO region is a device, reached through a VM exit just as KVM exits
 * to its VMM on an access that no memslot backs; anything else is unassigned (reads as all
 * ones, writes are dropped, as on a PC bus).
 */
public final class GuestMemory {
    /** Largest single slot; bigger RAM is split into several slots. */
    public static final long MAX_SLOT_SIZE = 1L << 30;

    private volatile MemorySlot[] slots = new MemorySlot[0];
    private volatile MmioRegion[] mmio = new MmioRegion[0];
    private final List<MemoryWriteObserver> observers = new CopyOnWriteArrayList<>();
    private long unassignedAccesses;

    /** Adds RAM at {@code gpa}; sizes above {@link #MAX_SLOT_SIZE} become several adjacent slots. */
    public synchronized List<MemorySlot> addRam(String name, long gpa, long size) {
        return addSlots(name, gpa, size, false);
    }

    /** Adds read-only memory (firmware, option ROMs); guest stores to it are dropped. */
    public synchronized List<MemorySlot> addRom(String name, long gpa, long size) {
        return addSlots(name, gpa, size, true);
    }

    private List<MemorySlot> addSlots(String name, long gpa, long size, boolean readOnly) {
        if (size <= 0 || (gpa & 0xFFF) != 0 || (size & 0xFFF) != 0) {
            throw new IllegalArgumentException(String.format("memory %s: base 0x%x size 0x%x must be page-aligned and positive", name, gpa, size));
        }
        checkFree(name, gpa, size);
        List<MemorySlot> added = new ArrayList<>();
        MemorySlot[] grown = Arrays.copyOf(slots, slots.length + (int) ((size + MAX_SLOT_SIZE - 1) / MAX_SLOT_SIZE));
        int n = slots.length;
        for (long off = 0; off < size; off += MAX_SLOT_SIZE) {
            int chunk = (int) Math.min(MAX_SLOT_SIZE, size - off);
            MemorySlot s = new MemorySlot(n, name, gpa + off, chunk, readOnly);
            grown[n++] = s;
            added.add(s);
        }
        Arrays.sort(grown, (a, b) -> Long.compareUnsigned(a.base(), b.base()));
        slots = grown;
        return added;
    }

    /** Maps a device at {@code gpa}. */
    public synchronized MmioRegion addMmio(String name, long gpa, long size, MmioHandler handler) {
        checkFree(name, gpa, size);
        MmioRegion r = new MmioRegion(name, gpa, size, handler);
        MmioRegion[] grown = Arrays.copyOf(mmio, mmio.length + 1);
        grown[grown.length - 1] = r;
        Arrays.sort(grown, (a, b) -> Long.compareUnsigned(a.base(), b.base()));
        mmio = grown;
        return r;
    }

    private void checkFree(String name, long gpa, long size) {
        for (MemorySlot s : slots) {
            if (overlaps(gpa, size, s.base(), s.size())) {
                throw new IllegalArgumentException(name + " overlaps " + s);
            }
        }
        for (MmioRegion r : mmio) {
            if (overlaps(gpa, size, r.base(), r.size())) {
                throw new IllegalArgumentException(name + " overlaps MMIO region " + r.name());
            }
        }
    }

    private static boolean overlaps(long a, long asize, long b, long bsize) {
        return Long.compareUnsigned(a, b + bsize) < 0 && Long.compareUnsigned(b, a + asize) < 0;
    }

    /** All memslots, sorted by base. */
    public List<MemorySlot> slots() {
        return List.of(slots);
    }

    public List<MmioRegion> mmioRegions() {
        return List.of(mmio);
    }

    /** Total bytes of RAM and ROM. */
    public long totalSize() {
        long n = 0;
        for (MemorySlot s : slots) {
            n += s.size();
        }
        return n;
    }

    /** The slot holding {@code gpa}, or null if it is not memory. */
    public MemorySlot slotFor(long gpa) {
        MemorySlot[] s = slots;
        for (MemorySlot slot : s) { // few slots: a scan beats a search
            if (slot.contains(gpa)) {
                return slot;
            }
        }
        return null;
    }

    /** The MMIO region holding {@code gpa}, or null. */
    public MmioRegion mmioFor(long gpa) {
        for (MmioRegion r : mmio) {
            if (r.contains(gpa)) {
                return r;
            }
        }
        return null;
    }

    /** True if {@code gpa} is RAM or ROM. */
    public boolean isMemory(long gpa) {
        return slotFor(gpa) != null;
    }

    /** Device read (after an MMIO exit). Unassigned addresses read as all ones. */
    public long mmioRead(long gpa, int size) {
        MmioRegion r = mmioFor(gpa);
        if (r == null) {
            unassignedAccesses++;
            return size == 8 ? -1L : (1L << (size * 8)) - 1;
        }
        return r.handler().read(gpa - r.base(), size);
    }

    /** Device write (after an MMIO exit). Writes to unassigned addresses are dropped. */
    public void mmioWrite(long gpa, int size, long value) {
        MmioRegion r = mmioFor(gpa);
        if (r == null) {
            unassignedAccesses++;
            return;
        }
        r.handler().write(gpa - r.base(), size, value);
    }

    /** Accesses to addresses that are neither memory nor a device. */
    public long unassignedAccesses() {
        return unassignedAccesses;
    }

    /**
     * Reads guest-physical bytes for a debugger or loader: memory only, devices are not touched
     * (reads have side effects). Returns the number of bytes read before the first address that
     * is not memory.
     */
    public int read(long gpa, byte[] dst, int off, int len) {
        int done = 0;
        while (done < len) {
            MemorySlot s = slotFor(gpa + done);
            if (s == null) {
                break;
            }
            int so = (int) (gpa + done - s.base());
            int n = (int) Math.min(len - done, s.size() - so);
            System.arraycopy(s.data(), so, dst, off + done, n);
            done += n;
        }
        return done;
    }

    /**
     * Writes guest-physical bytes for a debugger, loader or DMA-capable device, read-only slots
     * included (a debugger may patch ROM); observers are told. Returns the number of bytes
     * written before the first address that is not memory.
     */
    public int write(long gpa, byte[] src, int off, int len) {
        int done = 0;
        while (done < len) {
            MemorySlot s = slotFor(gpa + done);
            if (s == null) {
                break;
            }
            int so = (int) (gpa + done - s.base());
            int n = (int) Math.min(len - done, s.size() - so);
            System.arraycopy(src, off + done, s.data(), so, n);
            done += n;
        }
        if (done > 0) {
            notifyWritten(gpa, done);
        }
        return done;
    }

    /** Little-endian load of 1, 2, 4 or 8 bytes of memory (no devices); throws if not memory. */
    public long load(long gpa, int size) {
        MemorySlot s = slotFor(gpa);
        if (s == null || !s.contains(gpa + size - 1)) {
            byte[] b = new byte[size];
            if (read(gpa, b, 0, size) != size) {
                throw new IllegalArgumentException(String.format("0x%x is not guest memory", gpa));
            }
            return LittleEndian.get(b, 0, size);
        }
        return LittleEndian.get(s.data(), (int) (gpa - s.base()), size);
    }

    /** Little-endian store of 1, 2, 4 or 8 bytes to memory (no devices); throws if not memory. */
    public void store(long gpa, int size, long value) {
        byte[] b = new byte[size];
        LittleEndian.put(b, 0, size, value);
        if (write(gpa, b, 0, size) != size) {
            throw new IllegalArgumentException(String.format("0x%x is not guest memory", gpa));
        }
    }

    public void addWriteObserver(MemoryWriteObserver o) {
        observers.add(o);
    }

    public void removeWriteObserver(MemoryWriteObserver o) {
        observers.remove(o);
    }

    /** Tells observers that bytes changed behind the CPU cores' back. */
    public void notifyWritten(long gpa, long length) {
        for (MemoryWriteObserver o : observers) {
            o.written(gpa, length);
        }
    }
}
