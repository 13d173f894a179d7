/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpu;

/**
 * What CPUID returns to the guest (KVM's KVM_SET_CPUID2 table). The vCPU asks on every CPUID
 * exit; {@link io.hvdbg.x86.cpuid.VcpuCpuid} is KVM's per-vCPU model.
 */
public interface CpuidProvider {
    /**
     * Fills {@code out} with EAX, EBX, ECX, EDX for a leaf and subleaf. {@code cr4} and
     * {@code apicId} let dynamic bits (OSXSAVE, initial APIC id) follow the vCPU state.
     */
    void cpuid(int leaf, int subleaf, long cr4, int apicId, int[] out);

    /** CR4 bits the guest may not set because its CPUID lacks the feature (KVM's guest CR4 reserved bits). */
    default long guestCr4Reserved() {
        return 0;
    }
}
