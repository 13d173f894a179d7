/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpuid;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import io.hvdbg.x86.cpu.CpuidProvider;

/**
 * One vCPU's CPUID the way KVM (6.14) tracks it: the supported table (KVM_GET_SUPPORTED_CPUID),
 * the requested table (KVM_SET_CPUID2 from the VMM's model and overrides), and the effective
 * capabilities = requested AND supported in every feature word ({@code guest_cpu_cap_has}); the
 * guest reads the effective table (the VMM drops what the host lacks, as QEMU does) with the
 * run-time bits of {@code kvm_update_cpuid_runtime}: OSXSAVE = CR4.OSXSAVE, OSPKE = CR4.PKE (if
 * PKU is supported), APIC = IA32_APIC_BASE.EN, the initial APIC id, and the XSAVE area size
 * for the current XCR0.
 */
public final class VcpuCpuid implements CpuidProvider {
    private static final long CR4_OSXSAVE = 1 << 18, CR4_PKE = 1 << 22;
    private static final long APIC_BASE_ENABLE = 1 << 11;

    static final CpuidFeatures.Feature OSXSAVE = CpuidFeatures.byName("osxsave"),
            OSPKE = CpuidFeatures.byName("ospke"), APIC = CpuidFeatures.byName("apic"),
            PKU = CpuidFeatures.byName("pku");

    private final CpuidTable supported;
    private final CpuidTable requested;
    private final CpuidTable effective;
    private final String model;
    private final List<String> dropped = new ArrayList<>();
    private final long cr4Reserved;
    private LongSupplier apicBase = () -> APIC_BASE_ENABLE;
    private LongSupplier xcr0 = () -> 1;

    public VcpuCpuid(String model, CpuidTable supported, CpuidTable requested) {
        this.model = model == null ? CpuModels.HOST_MAX : model;
        this.supported = supported;
        this.requested = requested;
        this.effective = requested.copy();
        for (long[] k : requested.keys()) {
            int leaf = (int) k[0], sub = (int) k[1];
            int[] e = effective.entry(leaf, sub);
            int[] s = supported.find(leaf, sub);
            for (int reg = 0; reg < 4; reg++) {
                CpuidFeatures.Word w = CpuidFeatures.word(leaf, sub, reg);
                if (w == null) {
                    continue;
                }
                int lost = e[reg] & ~(s == null ? 0 : s[reg]);
                e[reg] &= ~lost;
                for (int bit = 0; bit < 32; bit++) {
                    if ((lost & (1 << bit)) != 0 && !isRuntime(leaf, sub, reg, bit)) {
                        dropped.add(CpuidFeatures.name(leaf, sub, reg, bit));
                    }
                }
            }
        }
        cr4Reserved = computeCr4Reserved();
    }

    /** Per-vCPU source of the run-time bits (IA32_APIC_BASE, XCR0). */
    public void bind(LongSupplier apicBaseMsr, LongSupplier xcr0Value) {
        this.apicBase = apicBaseMsr;
        this.xcr0 = xcr0Value;
    }

    private static boolean isRuntime(int leaf, int sub, int reg, int bit) {
        return (leaf == 1 && reg == CpuidFeatures.ECX && bit == 27) || (leaf == 7 && sub == 0 && reg == CpuidFeatures.ECX && bit == 4);
    }

    /** KVM's {@code __cr4_reserved_bits}: CR4 bits the guest may not set because its CPUID lacks the feature. */
    private long computeCr4Reserved() {
        long r = 0;
        r |= has("xsave") ? 0 : CR4_OSXSAVE;
        r |= has("smep") ? 0 : 1L << 20;
        r |= has("smap") ? 0 : 1L << 21;
        r |= has("fsgsbase") ? 0 : 1L << 16;
        r |= has("pku") ? 0 : CR4_PKE;
        r |= has("la57") ? 0 : 1L << 12;
        r |= has("umip") ? 0 : 1L << 11;
        r |= has("pcid") ? 0 : 1L << 17;
        return r;
    }

    /** {@code guest_cpu_cap_has}: the vCPU effectively has the feature. */
    public boolean has(String feature) {
        CpuidFeatures.Feature f = CpuidFeatures.byName(feature);
        if (f == null) {
            throw new IllegalArgumentException("no CPUID feature named " + feature);
        }
        return effective.has(f);
    }

    @Override
    public long guestCr4Reserved() {
        return cr4Reserved;
    }

    @Override
    public void cpuid(int leaf, int subleaf, long cr4, int apicId, int[] out) {
        lookup(effective, leaf, subleaf, out);
        applyRuntime(leaf, subleaf, cr4, apicId, out);
    }

    /** The table's entry, zeros if absent. */
    private static void lookup(CpuidTable t, int leaf, int subleaf, int[] out) {
        int[] e = t.find(leaf, subleaf);
        if (e == null) {
            out[0] = out[1] = out[2] = out[3] = 0;
        } else {
            System.arraycopy(e, 0, out, 0, 4);
        }
    }

    private void applyRuntime(int leaf, int subleaf, long cr4, int apicId, int[] out) {
        switch (leaf) {
            case 1 -> {
                out[1] = (out[1] & 0x00FF_FFFF) | apicId << 24;
                out[2] = change(out[2], OSXSAVE, (cr4 & CR4_OSXSAVE) != 0);
                out[3] = change(out[3], APIC, (apicBase.getAsLong() & APIC_BASE_ENABLE) != 0);
            }
            case 7 -> {
                if (subleaf == 0 && supported.has(PKU)) {
                    out[2] = change(out[2], OSPKE, (cr4 & CR4_PKE) != 0);
                }
            }
            case 0xB -> out[3] = apicId;
            case 0xD -> {
                if (subleaf == 0 && out[0] != 0) {
                    out[1] = xsaveSize(xcr0.getAsLong());
                }
            }
            default -> { }
        }
    }

    private static int change(int reg, CpuidFeatures.Feature f, boolean on) {
        return on ? reg | f.mask() : reg & ~f.mask();
    }

    /** XSAVE area bytes for the enabled components: legacy area + header; AVX adds 256 bytes at 576. */
    static int xsaveSize(long xcr0) {
        return (xcr0 & 4) != 0 ? 832 : 576;
    }

    /** One of the three views for the inspector: 0 supported, 1 requested, 2 effective (with run-time bits). */
    public int[] view(int which, int leaf, int subleaf, long cr4, int apicId) {
        int[] out = new int[4];
        lookup(which == 0 ? supported : which == 1 ? requested : effective, leaf, subleaf, out);
        if (which == 2) {
            applyRuntime(leaf, subleaf, cr4, apicId, out);
        }
        return out;
    }

    public CpuidTable supported() {
        return supported;
    }

    public CpuidTable requested() {
        return requested;
    }

    public CpuidTable effective() {
        return effective;
    }

    public String model() {
        return model;
    }

    /** Requested features the core does not support (QEMU warns "host doesn't support requested feature"). */
    public List<String> dropped() {
        return List.copyOf(dropped);
    }
}
