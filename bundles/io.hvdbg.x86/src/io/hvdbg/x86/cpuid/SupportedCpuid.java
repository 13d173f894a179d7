/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpuid;

/**
 * What the core can give a guest, as KVM_GET_SUPPORTED_CPUID reports it: exactly the features
 * the interpreter implements (a feature listed here works; anything else is absent). OSXSAVE and
 * OSPKE are not listed: KVM computes them at run time from CR4.
 */
public final class SupportedCpuid {
    /** KVM's paravirt signature leaf (KVM_CPUID_SIGNATURE) and features leaf (KVM_CPUID_FEATURES). */
    public static final int KVM_CPUID_SIGNATURE = 0x40000000, KVM_CPUID_FEATURES = 0x40000001;
    /** KVM_FEATURE_NOP_IO_DELAY: port 0x80 delays are unnecessary (the only PV feature offered). */
    public static final int KVM_FEATURE_NOP_IO_DELAY = 1 << 1;

    private SupportedCpuid() {
    }

    public static CpuidTable create(boolean amd, int vcpus) {
        CpuidTable t = new CpuidTable();
        String vendor = amd ? "AuthenticAMD" : "GenuineIntel";
        t.vendor(0, 0xD, vendor);
        // family 6 model 0x8C stepping 1; EBX: CLFLUSH line 8 qwords (logical count and APIC id filled per vCPU)
        t.set(1, 0, 0x000806C1, 8 << 8, 0, 0);
        t.features("sse3 cx16 pcid x2apic popcnt tsc_deadline_timer xsave hypervisor");
        t.features("fpu pse tsc msr pae cx8 apic pge cmov pat clflush fxsr sse sse2 ht");
        t.features("arat"); // KVM always offers ARAT: the LAPIC timer keeps running in idle
        t.set(7, 0, 2, 0, 0, 0).features("smep invpcid smap la57");
        t.set(7, 1, 0, 0, 0, 0);
        t.set(7, 2, 0, 0, 0, 0);
        t.set(0xB, 0, 0, 1, 0x100, 0); // SMT level: 1 thread (EDX = x2APIC id per vCPU)
        t.set(0xB, 1, 0, vcpus, 0x201, 0); // core level: vcpus
        t.set(0xD, 0, 3, 576, 576, 0); // XCR0 x87|SSE; EBX follows XCR0 at run time
        t.set(0xD, 1, 0, 0, 0, 0);
        t.set(KVM_CPUID_SIGNATURE, 0, KVM_CPUID_FEATURES, CpuidTable.str("KVMK", 0), CpuidTable.str("VMKV", 0),
                CpuidTable.str("M\0\0\0", 0));
        t.set(KVM_CPUID_FEATURES, 0, KVM_FEATURE_NOP_IO_DELAY, 0, 0, 0);
        if (amd) {
            t.vendor(0x80000000, 0x80000008, vendor);
            t.features("ext_fpu ext_pse ext_tsc ext_msr ext_pae ext_cx8 ext_apic ext_pge ext_cmov ext_pat ext_fxsr");
        } else {
            t.set(0x80000000, 0, 0x80000008, 0, 0, 0);
        }
        t.features("lahf_lm syscall nx rdtscp lm");
        t.brand("hvdbg virtual x86-64 CPU");
        t.features("invtsc");
        t.set(0x80000008, 0, 0x3928, 0, 0, 0); // 40-bit physical, 57-bit linear addresses
        return t;
    }
}
