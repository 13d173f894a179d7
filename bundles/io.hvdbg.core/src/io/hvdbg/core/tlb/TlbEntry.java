/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.tlb;

/**
 * One cached translation.
 *
 * @param va          guest virtual address (page base)
 * @param gpa         guest-physical address (page base)
 * @param hpa         host-physical (for us: memslot offset view) address, or -1 when not meaningful
 * @param pageSize    bytes (4K, 2M, 1G …)
 * @param asid        address-space id: x86 PCID, RISC-V ASID
 * @param vmid        hypervisor tag: VPID (Intel), ASID (AMD), VMID (RISC-V)
 * @param global      global mapping (x86 G bit with CR4.PGE, RISC-V G bit)
 * @param permissions e.g. {@code rwx u}
 * @param accessed    A bit as cached
 * @param dirty       D bit as cached
 */
public record TlbEntry(long va, long gpa, long hpa, long pageSize, int asid, int vmid, boolean global,
        String permissions, boolean accessed, boolean dirty) {
}
