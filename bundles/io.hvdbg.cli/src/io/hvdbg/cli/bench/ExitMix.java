/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli.bench;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A realistic mix of VM exits to feed the exit-trace benchmark: which exits a Linux guest takes
 * and how often, with the fields the hardware reports for each (Intel SDM Vol. 3C exit
 * qualifications, AMD APM Vol. 2 EXITINFO1/2, RISC-V stval/htval/htinst), a few hot guest code
 * sites per kind, host handling times, and two vCPUs scheduled round-robin in 10 us quanta as
 * the core's VM thread does.
 */
public record ExitMix(String name, List<Kind> kinds) {

    /** Generates the fields of one exit kind. */
    public interface Fields {
        /** Fills q, info2, context of {@code out} (indices 0..2). */
        void fill(SplittableRandom rnd, long[] out);
    }

    /**
     * One kind of exit.
     *
     * @param weight     relative frequency
     * @param reasonId   registry id as the full reason registry (VMX, SVM, RISC-V, TDX) assigns them
     * @param label      reason name for the report
     * @param gapNs      mean guest nanoseconds between exits of the vCPU before this one
     * @param handlingNs mean host nanoseconds to handle it
     * @param pcSites    guest code addresses this exit comes from (hot sites first)
     * @param fields     qualification, info2 and context
     */
    public record Kind(int weight, int reasonId, String label, long gapNs, long handlingNs, long[] pcSites, Fields fields) {
    }

    /** Exits as primitive columns, as the core records them. */
    public record Records(int count, int[] vcpu, int[] reasonId, long[] time, long[] duration, long[] pc,
            long[] qualification, long[] info2, long[] context) {
    }

    // Registry ids: reasons are registered per source, VMX first (~70), then SVM (~100), RISC-V, TDX,
    // so real ids mostly need a 3-byte record header; these offsets keep that honest.
    private static final int VMX = 8;
    private static final int SVM = 90;
    private static final int RISCV = 200;

    private static final long KERNEL = 0xffffffff81000000L;
    private static final long RV_KERNEL = 0xffffffff80000000L;

    private static long[] sites(long base, long... offsets) {
        long[] s = new long[offsets.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = base + offsets[i];
        }
        return s;
    }

    /** Linux on x86-64 with Intel VMX: serial console, x2APIC timer and EOIs, MMIO, EPT faults. */
    public static ExitMix x86Vmx() {
        return new ExitMix("x86 Linux, Intel VMX", List.of(
                // IO_INSTRUCTION (30): qualification = port << 16 | IN << 3 | size-1 (SDM Table 28-5)
                new Kind(26, VMX + 30, "IO_INSTRUCTION", 4_000, 900, sites(KERNEL, 0x6a1f30, 0x6a1f58, 0x6a2010),
                        (r, o) -> { boolean in = r.nextInt(10) < 4; o[0] = (long) (in ? 0x3fd : 0x3f8) << 16 | (in ? 8 : 0); o[1] = 0; o[2] = 0; }),
                // MSR_WRITE (32): context = MSR index (TSC_DEADLINE 0x6e0, x2APIC EOI 0x80b, ICR 0x830)
                new Kind(22, VMX + 32, "MSR_WRITE", 9_000, 350, sites(KERNEL, 0x0a3c10, 0x0a3d44, 0x0a4120),
                        (r, o) -> { int k = r.nextInt(10); o[0] = 0; o[1] = 0; o[2] = k < 5 ? 0x6e0 : k < 9 ? 0x80b : 0x830; }),
                // EXTERNAL_INTERRUPT (1): context = vector
                new Kind(12, VMX + 1, "EXTERNAL_INTERRUPT", 20_000, 600, sites(KERNEL, 0x1a2b40, 0x0fe210, 0x35c0a8, 0x6a1f30),
                        (r, o) -> { o[0] = 0; o[1] = 0; o[2] = r.nextInt(4) == 0 ? 0xfd : 0xec; }),
                // HLT (12)
                new Kind(10, VMX + 12, "HLT", 60_000, 250, sites(KERNEL, 0xe5a3d1),
                        (r, o) -> { o[0] = 0; o[1] = 0; o[2] = 0; }),
                // EPT_VIOLATION (48): qualification = access bits + GPA valid, info2 = guest-physical address
                new Kind(10, VMX + 48, "EPT_VIOLATION", 15_000, 2_500, sites(KERNEL, 0x2f1000, 0x2f10c8, 0x4a0c20, 0x11c3e0),
                        (r, o) -> { boolean mmio = r.nextInt(3) == 0; o[0] = mmio ? 0x182 : 0x181 + r.nextInt(2) * 0x600;
                            o[1] = mmio ? 0xfec00010L : (r.nextLong(0x7f00000L) & ~0xfffL) + 0x100000L; o[2] = 0; }),
                // EPT_MISCONFIG (49): virtio-mmio doorbell, info2 = GPA
                new Kind(6, VMX + 49, "EPT_MISCONFIG", 25_000, 1_800, sites(KERNEL, 0x7c2150, 0x7c21a0),
                        (r, o) -> { o[0] = 0; o[1] = 0xfeb00050L; o[2] = 0; }),
                // CPUID (10): context = leaf | subleaf << 32
                new Kind(5, VMX + 10, "CPUID", 3_000, 300, sites(KERNEL, 0x03e1c0, 0x03e1f4, 0x1d0a88),
                        (r, o) -> { int k = r.nextInt(6); o[0] = 0; o[1] = 0;
                            o[2] = k == 0 ? 0x80000001L : k == 1 ? 7L : k == 2 ? 0x4000_0001L : k == 3 ? 0xdL | 1L << 32 : k; }),
                // CR_ACCESS (28): qualification = CR number | access type << 4 | GPR << 8
                new Kind(4, VMX + 28, "CR_ACCESS", 30_000, 400, sites(KERNEL, 0x08a0f0, 0x08a130),
                        (r, o) -> { o[0] = 4 | (r.nextInt(6) << 8); o[1] = 0; o[2] = 0; }),
                // PAUSE_INSTRUCTION (40)
                new Kind(3, VMX + 40, "PAUSE_INSTRUCTION", 2_000, 150, sites(KERNEL, 0xe5c020),
                        (r, o) -> { o[0] = 0; o[1] = 0; o[2] = 0; }),
                // PREEMPTION_TIMER (52)
                new Kind(2, VMX + 52, "PREEMPTION_TIMER", 100_000, 300, sites(KERNEL, 0xe5a3d1, 0x1a2b40),
                        (r, o) -> { o[0] = 0; o[1] = 0; o[2] = 0; })));
    }

    /** Linux on x86-64 with AMD SVM: the same workload in SVM terms (EXITINFO2 of IOIO is the next RIP). */
    public static ExitMix x86Svm() {
        return new ExitMix("x86 Linux, AMD SVM", List.of(
                // VMEXIT_IOIO (0x7b): EXITINFO1 = port << 16 | size bits | TYPE(in)=bit 0, EXITINFO2 = next RIP
                new Kind(26, SVM + 0x3b, "IOIO", 4_000, 900, sites(KERNEL, 0x6a1f30, 0x6a1f58, 0x6a2010),
                        (r, o) -> { boolean in = r.nextInt(10) < 4; o[0] = (long) (in ? 0x3fd : 0x3f8) << 16 | 0x10 | (in ? 1 : 0);
                            o[1] = KERNEL + 0x6a1f32; o[2] = 0; }),
                // VMEXIT_MSR (0x7c): EXITINFO1 = 1 for WRMSR; context = MSR index
                new Kind(22, SVM + 0x3c, "MSR", 9_000, 350, sites(KERNEL, 0x0a3c10, 0x0a3d44, 0x0a4120),
                        (r, o) -> { int k = r.nextInt(10); o[0] = 1; o[1] = 0; o[2] = k < 5 ? 0x6e0 : k < 9 ? 0x80b : 0x830; }),
                // VMEXIT_INTR (0x60)
                new Kind(12, SVM + 0x20, "INTR", 20_000, 600, sites(KERNEL, 0x1a2b40, 0x0fe210, 0x35c0a8, 0x6a1f30),
                        (r, o) -> { o[0] = 0; o[1] = 0; o[2] = r.nextInt(4) == 0 ? 0xfd : 0xec; }),
                // VMEXIT_HLT (0x78)
                new Kind(10, SVM + 0x38, "HLT", 60_000, 250, sites(KERNEL, 0xe5a3d1),
                        (r, o) -> { o[0] = 0; o[1] = 0; o[2] = 0; }),
                // VMEXIT_NPF (0x400): EXITINFO1 = #PF error code (bit 32: final translation), EXITINFO2 = GPA
                new Kind(16, SVM + 0x50, "NPF", 15_000, 2_500, sites(KERNEL, 0x2f1000, 0x2f10c8, 0x4a0c20, 0x11c3e0, 0x7c2150),
                        (r, o) -> { int k = r.nextInt(8); o[0] = 0x100000000L | (k < 3 ? 6 : 4);
                            o[1] = k < 3 ? 0xfeb00050L : (r.nextLong(0x7f00000L) & ~0xfffL) + 0x100000L; o[2] = 0; }),
                // VMEXIT_CPUID (0x72)
                new Kind(5, SVM + 0x32, "CPUID", 3_000, 300, sites(KERNEL, 0x03e1c0, 0x03e1f4, 0x1d0a88),
                        (r, o) -> { int k = r.nextInt(6); o[0] = 0; o[1] = 0;
                            o[2] = k == 0 ? 0x80000001L : k == 1 ? 7L : k == 2 ? 0x4000_0001L : k == 3 ? 0xdL | 1L << 32 : k; }),
                // VMEXIT_CR4_WRITE (0x14) with decode assists: EXITINFO1 = 1 << 63 | GPR
                new Kind(4, SVM + 0x14, "CR4_WRITE", 30_000, 400, sites(KERNEL, 0x08a0f0, 0x08a130),
                        (r, o) -> { o[0] = 1L << 63 | r.nextInt(6); o[1] = 0; o[2] = 0; }),
                // VMEXIT_PAUSE (0x77)
                new Kind(5, SVM + 0x37, "PAUSE", 2_000, 150, sites(KERNEL, 0xe5c020),
                        (r, o) -> { o[0] = 0; o[1] = 0; o[2] = 0; })));
    }

    /** Linux on RV64 under the H extension: SBI calls, WFI, MMIO guest-page faults, host interrupts. */
    public static ExitMix riscv() {
        return new ExitMix("RISC-V Linux, H extension", List.of(
                // VS-mode ecall (scause 10): context = SBI extension (a7) | function (a6) << 32
                new Kind(34, RISCV + 10, "VIRTUAL_SUPERVISOR_ECALL", 10_000, 400, sites(RV_KERNEL, 0x0a2c14, 0x0a2d30, 0x0a31f0),
                        (r, o) -> { int k = r.nextInt(10); o[0] = 0; o[1] = 0;
                            o[2] = k < 6 ? 0x54494D45L : k < 9 ? 0x735049L : 0x52464E43L | 6L << 32; }),
                // load/store guest-page fault (21/23) on MMIO: stval = GVA, info2 = htinst (transformed load/store)
                new Kind(14, RISCV + 21, "LOAD_GUEST_PAGE_FAULT", 8_000, 1_500, sites(RV_KERNEL, 0x5c1a20, 0x5c1a44),
                        (r, o) -> { o[0] = 0xff6000000000L + 0x5; o[1] = 0x00054503L; o[2] = 0; }),
                new Kind(14, RISCV + 23, "STORE_GUEST_PAGE_FAULT", 4_000, 1_500, sites(RV_KERNEL, 0x5c1b10, 0x6f3008),
                        (r, o) -> { o[0] = r.nextInt(3) == 0 ? 0xff6000201000L + 0x4 : 0xff6000000000L; o[1] = 0x00f50023L; o[2] = 0; }),
                // virtual instruction (22): WFI, stval = the instruction
                new Kind(14, RISCV + 22, "VIRTUAL_INSTRUCTION", 60_000, 250, sites(RV_KERNEL, 0x9e0f2a),
                        (r, o) -> { o[0] = 0x10500073L; o[1] = 0; o[2] = 0; }),
                // supervisor timer / external interrupts taken while the guest ran (interrupt bit in scause)
                new Kind(14, RISCV + 40 + 5, "SUPERVISOR_TIMER_INTERRUPT", 30_000, 500, sites(RV_KERNEL, 0x9e0f2e, 0x1a2200, 0x0a2c18),
                        (r, o) -> { o[0] = 0; o[1] = 0; o[2] = 0; }),
                new Kind(10, RISCV + 40 + 9, "SUPERVISOR_EXTERNAL_INTERRUPT", 40_000, 700, sites(RV_KERNEL, 0x9e0f2e, 0x5c1a20),
                        (r, o) -> { o[0] = 0; o[1] = 0; o[2] = 0; })));
    }

    /** The three mixes. */
    public static List<ExitMix> all() {
        return List.of(x86Vmx(), x86Svm(), riscv());
    }

    /**
     * Generates {@code n} exits of two vCPUs: each vCPU runs 10 us quanta in turn, taking exits
     * at exponentially distributed intervals, so records interleave as the VM thread records them.
     */
    public Records generate(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int total = 0;
        for (Kind k : kinds) {
            total += k.weight();
        }
        int[] pick = new int[total];
        for (int i = 0, j = 0; i < kinds.size(); i++) {
            for (int w = 0; w < kinds.get(i).weight(); w++) {
                pick[j++] = i;
            }
        }
        Records r = new Records(n, new int[n], new int[n], new long[n], new long[n], new long[n], new long[n],
                new long[n], new long[n]);
        final int vcpus = 2;
        final long quantum = 10_000;
        long[] clock = new long[vcpus];
        Kind[] next = new Kind[vcpus];
        long[] nextAt = new long[vcpus];
        for (int v = 0; v < vcpus; v++) {
            next[v] = kinds.get(pick[rnd.nextInt(total)]);
            nextAt[v] = exp(rnd, next[v].gapNs());
        }
        long[] f = new long[3];
        int i = 0;
        long roundEnd = quantum;
        while (i < n) {
            for (int v = 0; v < vcpus && i < n; v++) {
                while (nextAt[v] < roundEnd && i < n) {
                    Kind k = next[v];
                    k.fields().fill(rnd, f);
                    long[] s = k.pcSites();
                    // Hot sites dominate: the first site takes about half of the exits.
                    int site = rnd.nextInt(2) == 0 ? 0 : rnd.nextInt(s.length);
                    r.vcpu()[i] = v;
                    r.reasonId()[i] = k.reasonId();
                    r.time()[i] = nextAt[v];
                    r.duration()[i] = Math.max(40, exp(rnd, k.handlingNs()));
                    r.pc()[i] = s[site];
                    r.qualification()[i] = f[0];
                    r.info2()[i] = f[1];
                    r.context()[i] = f[2];
                    i++;
                    clock[v] = nextAt[v];
                    next[v] = kinds.get(pick[rnd.nextInt(total)]);
                    nextAt[v] = clock[v] + 1 + exp(rnd, next[v].gapNs());
                }
            }
            roundEnd += quantum;
        }
        return r;
    }

    private static long exp(SplittableRandom rnd, long mean) {
        return (long) (-Math.log(1.0 - rnd.nextDouble()) * mean);
    }
}
