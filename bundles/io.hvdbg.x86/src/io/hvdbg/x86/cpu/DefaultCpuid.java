/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpu;

/**
 * The CPUID the core supports: a family-6 x86-64 CPU with the features the interpreter
 * implements (no SSE arithmetic beyond state save/restore), vendor string per VM vendor.
 */
public final class DefaultCpuid implements CpuidProvider {
    private final boolean amd;
    private final int vcpus;

    public DefaultCpuid(boolean amd, int vcpus) {
        this.amd = amd;
        this.vcpus = vcpus;
    }

    private static int str(String s, int i) {
        return (s.charAt(i) & 0xFF) | (s.charAt(i + 1) & 0xFF) << 8 | (s.charAt(i + 2) & 0xFF) << 16
                | (s.charAt(i + 3) & 0xFF) << 24;
    }

    @Override
    public void cpuid(int leaf, int subleaf, long cr4, int apicId, int[] out) {
        out[0] = out[1] = out[2] = out[3] = 0;
        String vendor = amd ? "AuthenticAMD" : "GenuineIntel";
        switch (leaf) {
            case 0 -> {
                out[0] = 0xD;
                out[1] = str(vendor, 0);
                out[3] = str(vendor, 4);
                out[2] = str(vendor, 8);
            }
            case 1 -> {
                out[0] = 0x000806C1; // family 6 model 0x8C stepping 1
                out[1] = (apicId << 24) | (vcpus << 16) | (8 << 8);
                // ECX: SSE3, CX16, x2APIC, POPCNT, TSC-deadline, XSAVE, OSXSAVE (follows CR4), hypervisor
                out[2] = 1 | (1 << 13) | (1 << 21) | (1 << 23) | (1 << 24) | (1 << 26)
                        | ((cr4 & (1 << 18)) != 0 ? 1 << 27 : 0) | (1 << 31);
                // EDX: FPU, PSE, TSC, MSR, PAE, CX8, APIC, SEP, PGE, CMOV, PAT, CLFSH, FXSR, SSE, SSE2, HTT
                out[3] = 1 | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 8) | (1 << 9) | (1 << 13)
                        | (1 << 15) | (1 << 16) | (1 << 19) | (1 << 24) | (1 << 25) | (1 << 26) | (1 << 28);
            }
            case 7 -> {
                if (subleaf == 0) {
                    out[1] = (1 << 7) | (1 << 10) | (1 << 20); // SMEP, INVPCID, SMAP
                    out[2] = 1 << 16; // LA57: 5-level paging
                }
            }
            case 0xB -> {
                out[0] = subleaf == 0 ? 0 : 0;
                out[1] = subleaf == 0 ? 1 : vcpus;
                out[2] = subleaf | ((subleaf == 0 ? 1 : subleaf == 1 ? 2 : 0) << 8);
                out[3] = apicId;
            }
            case 0xD -> {
                if (subleaf == 0) {
                    out[0] = 3; // x87 + SSE
                    out[1] = 576;
                    out[2] = 576;
                } else if (subleaf == 1) {
                    out[0] = 0;
                }
            }
            case 0x40000000 -> {
                out[0] = 0x40000000;
                out[1] = str("hvdb", 0);
                out[2] = str("gHVh", 0);
                out[3] = str("vdbg", 0);
            }
            case 0x80000000 -> {
                out[0] = 0x80000008;
                if (amd) {
                    out[1] = str(vendor, 0);
                    out[3] = str(vendor, 4);
                    out[2] = str(vendor, 8);
                }
            }
            case 0x80000001 -> {
                out[2] = 1; // LAHF/SAHF in long mode
                out[3] = (1 << 11) | (1 << 20) | (1 << 27) | (1 << 29); // SYSCALL, NX, RDTSCP, LM
            }
            case 0x80000002, 0x80000003, 0x80000004 -> {
                String brand = String.format("%-48s", "hvdbg virtual x86-64 CPU").substring(0, 48);
                int o = (leaf - 0x80000002) * 16;
                for (int i = 0; i < 4; i++) {
                    out[i] = str(brand, o + 4 * i);
                }
            }
            case 0x80000008 -> out[0] = 0x3928; // 40-bit physical, 57-bit linear (LA57)
            default -> { }
        }
    }
}
