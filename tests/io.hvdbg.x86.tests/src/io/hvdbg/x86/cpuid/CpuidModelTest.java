/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpuid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** KVM's CPUID rules: supported, requested, effective = intersection, run-time bits; names at SDM/APM positions. */
class CpuidModelTest {
    private static final int ECX = 2, EDX = 3, EBX = 1, EAX = 0;

    private static VcpuCpuid vcpu(String model, String overrides, boolean amd) {
        CpuidTable s = SupportedCpuid.create(amd, 2);
        return new VcpuCpuid(model, s, CpuModels.requested(model, overrides, s, amd));
    }

    private static int[] cpuid(VcpuCpuid c, int leaf, int sub, long cr4) {
        int[] out = new int[4];
        c.cpuid(leaf, sub, cr4, 1, out);
        return out;
    }

    @ParameterizedTest(name = "{0} is CPUID.(EAX={1}H,ECX={2}):{3}[{4}]")
    @CsvSource({
        // Intel SDM vol. 2A table 3-10/3-11, 3-8 (leaf 7), AMD APM vol. 3 appendix E
        "sse3, 1, 0, 2, 0", "pcid, 1, 0, 2, 17", "x2apic, 1, 0, 2, 21", "xsave, 1, 0, 2, 26", "osxsave, 1, 0, 2, 27",
        "avx, 1, 0, 2, 28", "hypervisor, 1, 0, 2, 31", "fpu, 1, 0, 3, 0", "pse, 1, 0, 3, 3", "pae, 1, 0, 3, 6",
        "apic, 1, 0, 3, 9", "sep, 1, 0, 3, 11", "pge, 1, 0, 3, 13", "clflush, 1, 0, 3, 19", "sse2, 1, 0, 3, 26",
        "ht, 1, 0, 3, 28", "arat, 6, 0, 0, 2", "hwp, 6, 0, 0, 7", "epb, 6, 0, 2, 3", "fsgsbase, 7, 0, 1, 0",
        "smep, 7, 0, 1, 7", "invpcid, 7, 0, 1, 10", "smap, 7, 0, 1, 20", "avx512f, 7, 0, 1, 16", "umip, 7, 0, 2, 2",
        "pku, 7, 0, 2, 3", "ospke, 7, 0, 2, 4", "la57, 7, 0, 2, 16", "rdpid, 7, 0, 2, 22", "pks, 7, 0, 2, 31",
        "md_clear, 7, 0, 3, 10", "ibt, 7, 0, 3, 20", "arch_capabilities, 7, 0, 3, 29", "avx_vnni, 7, 1, 0, 4",
        "fred, 7, 1, 0, 17", "lam, 7, 1, 0, 26", "avx10, 7, 1, 3, 19", "psfd, 7, 2, 3, 0", "bhi_ctrl, 7, 2, 3, 4",
        "xsaveopt, D, 1, 0, 0", "xsaves, D, 1, 0, 3", "xfeature_avx, D, 0, 0, 2", "xfeature_pkru, D, 0, 0, 9",
        "lahf_lm, 80000001, 0, 2, 0", "svm, 80000001, 0, 2, 2", "sse4a, 80000001, 0, 2, 6",
        "syscall, 80000001, 0, 3, 11", "nx, 80000001, 0, 3, 20", "pdpe1gb, 80000001, 0, 3, 26",
        "rdtscp, 80000001, 0, 3, 27", "lm, 80000001, 0, 3, 29", "invtsc, 80000007, 0, 3, 8",
        "clzero, 80000008, 0, 1, 0", "invlpgb, 80000008, 0, 1, 3", "amd_ssbd, 80000008, 0, 1, 24",
    })
    void featureNamesSitAtTheManualsBitPositions(String name, String leaf, int sub, int reg, int bit) {
        CpuidFeatures.Feature f = CpuidFeatures.byName(name);
        assertEquals(Integer.parseUnsignedInt(leaf, 16), f.leaf(), name);
        assertEquals(sub, f.subleaf(), name);
        assertEquals(reg, f.reg(), name);
        assertEquals(bit, f.bit(), name);
        assertEquals(name, CpuidFeatures.name(f.leaf(), sub, reg, bit));
    }

    @Test
    void everyBitOfEveryWordDecodes() {
        assertEquals(17, CpuidFeatures.words().size());
        assertEquals("reserved", CpuidFeatures.name(1, 0, ECX, 16));
        assertEquals("reserved", CpuidFeatures.name(1, 0, EDX, 10));
        for (CpuidFeatures.Word w : CpuidFeatures.words()) {
            for (int bit = 0; bit < 32; bit++) {
                assertFalse(CpuidFeatures.name(w.leaf(), w.subleaf(), w.reg(), bit).isEmpty());
            }
        }
    }

    @Test
    void hostMaxGetsEverythingSupportedAndKvmSignature() {
        VcpuCpuid c = vcpu(null, null, false);
        assertTrue(c.dropped().isEmpty(), c.dropped().toString());
        int[] sig = cpuid(c, 0x40000000, 0, 0);
        assertEquals(0x40000001, sig[EAX]);
        StringBuilder s = new StringBuilder();
        for (int r : new int[] {sig[1], sig[2], sig[3]}) {
            for (int i = 0; i < 4; i++) {
                s.append((char) ((r >>> (8 * i)) & 0xFF));
            }
        }
        assertEquals("KVMKVMKVM\0\0\0", s.toString());
        assertEquals(SupportedCpuid.KVM_FEATURE_NOP_IO_DELAY, cpuid(c, 0x40000001, 0, 0)[EAX]);
        assertTrue(c.has("pcid") && c.has("invpcid") && c.has("la57") && c.has("x2apic"));
        assertEquals(0, c.guestCr4Reserved() & (1L << 17), "PCIDE allowed with pcid");
    }

    @Test
    void effectiveIsRequestedAndSupported() {
        // Skylake-Client asks for AVX, SSE4.2, FSGSBASE ... the core implements none of them
        VcpuCpuid c = vcpu("Skylake-Client", null, false);
        int[] l1 = cpuid(c, 1, 0, 0);
        assertEquals(0, l1[ECX] & (1 << 28), "avx dropped");
        assertEquals(0, l1[ECX] & (1 << 20), "sse4_2 dropped");
        assertTrue((l1[ECX] & (1 << 17)) != 0, "pcid requested and supported");
        assertEquals(0x000506E3, l1[EAX], "signature is the model's, not masked");
        assertTrue(c.dropped().containsAll(java.util.List.of("avx", "sse4_2", "fsgsbase", "vme", "mtrr")), c.dropped().toString());
        assertFalse(c.has("fsgsbase"));
        assertTrue((c.guestCr4Reserved() & (1L << 16)) != 0, "CR4.FSGSBASE reserved without the capability");
        // requested view keeps what the VMM asked for
        assertTrue((c.view(1, 1, 0, 0, 0)[ECX] & (1 << 28)) != 0);
        // qemu64 does not ask for PCID: CR4.PCIDE becomes reserved even though the core supports it
        VcpuCpuid q = vcpu("qemu64", null, false);
        assertFalse(q.has("pcid"));
        assertTrue((q.guestCr4Reserved() & (1L << 17)) != 0);
        assertTrue((q.guestCr4Reserved() & (1L << 20)) != 0, "no smep in qemu64");
    }

    @Test
    void overridesClearAndSetBitsBeforeTheIntersection() {
        VcpuCpuid c = vcpu("host-max,-x2apic", "-pcid,smep=off,+avx", false);
        int[] l1 = cpuid(c, 1, 0, 0);
        assertEquals(0, l1[ECX] & (1 << 21), "x2apic off");
        assertEquals(0, l1[ECX] & (1 << 17), "pcid off");
        assertEquals(0, cpuid(c, 7, 0, 0)[EBX] & (1 << 7), "smep off");
        assertEquals(0, l1[ECX] & (1 << 28), "avx requested but unsupported");
        assertEquals(java.util.List.of("avx"), c.dropped());
        assertTrue((c.view(1, 1, 0, 0, 0)[ECX] & (1 << 28)) != 0);
        var e = assertThrows(IllegalArgumentException.class, () -> vcpu("host-max", "+nosuchfeature", false));
        assertTrue(e.getMessage().contains("nosuchfeature"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> vcpu("Pentium", null, false));
        assertTrue(e.getMessage().contains("Pentium") && e.getMessage().contains("Skylake-Client"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> vcpu("host-max", "pcid=maybe", false));
        assertTrue(e.getMessage().contains("pcid=maybe"), e.getMessage());
    }

    @Test
    void runTimeBitsFollowCr4AndApicBase() {
        VcpuCpuid c = vcpu(null, null, false);
        long[] apicBase = {0xFEE00900L};
        long[] xcr0 = {1};
        c.bind(() -> apicBase[0], () -> xcr0[0]);
        assertEquals(0, cpuid(c, 1, 0, 0)[ECX] & (1 << 27));
        assertTrue((cpuid(c, 1, 0, 1 << 18)[ECX] & (1 << 27)) != 0, "OSXSAVE follows CR4.OSXSAVE");
        assertTrue((cpuid(c, 1, 0, 0)[EDX] & (1 << 9)) != 0, "APIC with IA32_APIC_BASE.EN");
        apicBase[0] &= ~(1L << 11);
        assertEquals(0, cpuid(c, 1, 0, 0)[EDX] & (1 << 9), "APIC clears when the APIC is disabled");
        assertEquals(1, cpuid(c, 1, 0, 0)[EBX] >>> 24, "initial APIC id");
        assertEquals(1, cpuid(c, 0xB, 0, 0)[EDX], "x2APIC id");
        assertEquals(576, cpuid(c, 0xD, 0, 0)[EBX]);
        // OSPKE follows CR4.PKE only where KVM supports PKU (the core does not)
        assertEquals(0, cpuid(c, 7, 0, 1 << 22)[ECX] & (1 << 4));
        CpuidTable s = SupportedCpuid.create(false, 1);
        s.features("pku");
        VcpuCpuid pk = new VcpuCpuid("host-max", s, CpuModels.requested(null, null, s, false));
        assertEquals(0, cpuid(pk, 7, 0, 0)[ECX] & (1 << 4));
        assertTrue((cpuid(pk, 7, 0, 1 << 22)[ECX] & (1 << 4)) != 0, "OSPKE follows CR4.PKE");
        assertEquals(0, pk.guestCr4Reserved() & (1L << 22));
        assertTrue((c.guestCr4Reserved() & (1L << 22)) != 0, "CR4.PKE reserved without pku");
    }

    @Test
    void amdModelsAndVendor() {
        VcpuCpuid c = vcpu("EPYC", null, true);
        int[] l0 = cpuid(c, 0, 0, 0);
        assertEquals(0x68747541, l0[EBX]); // "Auth"
        assertTrue((cpuid(c, 0x80000001, 0, 0)[EDX] & (1 << 29)) != 0, "lm");
        assertEquals(0, cpuid(c, 0x80000001, 0, 0)[ECX] & (1 << 2), "svm (nested) not supported");
        assertTrue(c.dropped().contains("svm"));
    }
}
