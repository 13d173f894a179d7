/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.tlb;

/**
 * One TLB flush, or one hypervisor flush request (KVM's KVM_REQ_TLB_FLUSH_*), in the history.
 *
 * @param time    guest time
 * @param vcpu    vCPU index
 * @param cause   what caused it, e.g. {@code CR4.PGE toggle}, {@code INVLPG}, {@code sfence.vma}
 * @param scope   what was flushed, e.g. {@code all}, {@code non-global}, {@code asid 3}, {@code page}
 * @param address the address for single-page flushes, else 0
 * @param request true if this is a hypervisor flush request rather than an architectural flush
 * @param entries number of entries dropped
 */
public record FlushRecord(long time, int vcpu, String cause, String scope, long address, boolean request, int entries) {
}
