/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpuid;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A CPUID table like KVM's {@code kvm_cpuid_entry2} array: EAX, EBX, ECX, EDX per leaf, per
 * subleaf for the leaves whose output depends on ECX.
 */
public final class CpuidTable {
    /** Leaves indexed by ECX (KVM_CPUID_FLAG_SIGNIFCANT_INDEX). */
    private static final Set<Integer> INDEXED = Set.of(4, 7, 0xB, 0xD, 0xF, 0x10, 0x12, 0x14, 0x17, 0x18, 0x1D, 0x1F,
            0x24, 0x8000001D, 0x80000020, 0x80000026);

    private final TreeMap<Long, int[]> entries = new TreeMap<>(Long::compareUnsigned);

    public static boolean indexed(int leaf) {
        return INDEXED.contains(leaf);
    }

    private static long key(int leaf, int subleaf) {
        return (leaf & 0xFFFF_FFFFL) << 32 | (indexed(leaf) ? subleaf & 0xFFFF_FFFFL : 0);
    }

    /** The entry's registers (a live array), creating a zero entry if absent. */
    public int[] entry(int leaf, int subleaf) {
        return entries.computeIfAbsent(key(leaf, subleaf), k -> new int[4]);
    }

    /** The entry's registers, or null if the table has no such leaf/subleaf. */
    public int[] find(int leaf, int subleaf) {
        return entries.get(key(leaf, subleaf));
    }

    public CpuidTable set(int leaf, int subleaf, int eax, int ebx, int ecx, int edx) {
        int[] e = entry(leaf, subleaf);
        e[0] = eax;
        e[1] = ebx;
        e[2] = ecx;
        e[3] = edx;
        return this;
    }

    /** Sets or clears one feature bit. */
    public void setFeature(CpuidFeatures.Feature f, boolean on) {
        int[] e = entry(f.leaf(), f.subleaf());
        e[f.reg()] = on ? e[f.reg()] | f.mask() : e[f.reg()] & ~f.mask();
    }

    public boolean has(CpuidFeatures.Feature f) {
        int[] e = find(f.leaf(), f.subleaf());
        return e != null && (e[f.reg()] & f.mask()) != 0;
    }

    /** Sets the named features (Linux names) in their words. */
    public CpuidTable features(String names) {
        for (String n : names.trim().split("\\s+")) {
            CpuidFeatures.Feature f = CpuidFeatures.byName(n);
            if (f == null) {
                throw new IllegalArgumentException("no CPUID feature named " + n);
            }
            setFeature(f, true);
        }
        return this;
    }

    public CpuidTable copy() {
        CpuidTable t = new CpuidTable();
        for (Map.Entry<Long, int[]> e : entries.entrySet()) {
            t.entries.put(e.getKey(), e.getValue().clone());
        }
        return t;
    }

    /** Keys as (leaf, subleaf) pairs in ascending unsigned order. */
    public Iterable<long[]> keys() {
        return () -> entries.keySet().stream().map(k -> new long[] {k >>> 32, k & 0xFFFF_FFFFL}).iterator();
    }

    static int str(String s, int i) {
        return (s.charAt(i) & 0xFF) | (s.charAt(i + 1) & 0xFF) << 8 | (s.charAt(i + 2) & 0xFF) << 16
                | (s.charAt(i + 3) & 0xFF) << 24;
    }

    /** Leaf 0 / 0x80000000 style vendor string in EBX, EDX, ECX. */
    public CpuidTable vendor(int leaf, int maxLeaf, String vendor) {
        return set(leaf, 0, maxLeaf, str(vendor, 0), str(vendor, 8), str(vendor, 4));
    }

    public CpuidTable brand(String brand) {
        String b = String.format("%-48s", brand).substring(0, 48);
        for (int l = 0; l < 3; l++) {
            int o = l * 16;
            set(0x80000002 + l, 0, str(b, o), str(b, o + 4), str(b, o + 8), str(b, o + 12));
        }
        return this;
    }
}
