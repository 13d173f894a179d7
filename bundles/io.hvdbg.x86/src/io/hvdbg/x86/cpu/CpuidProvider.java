/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpu;

/**
 * What CPUID returns to the guest (KVM's KVM_SET_CPUID2 table). The vCPU asks on every CPUID
 * exit; the later CPUID model issue replaces {@link DefaultCpuid} with configurable models.
 */
public interface CpuidProvider {
    /**
     * Fills {@code out} with EAX, EBX, ECX, EDX for a leaf and subleaf. {@code cr4} and
     * {@code apicId} let dynamic bits (OSXSAVE, initial APIC id) follow the vCPU state.
     */
    void cpuid(int leaf, int subleaf, long cr4, int apicId, int[] out);
}
