/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.inspect;

/**
 * One feature as three views see it: what the core supports, what the guest configuration
 * requests, and what the vCPU effectively has (KVM's supported / set / effective CPUID; RISC-V
 * ISA extensions likewise).
 *
 * @param group     where it lives, e.g. {@code CPUID.(EAX=07H,ECX=0):EBX} or {@code ISA}
 * @param bit       bit position within the group's register, or -1 for named-only features
 * @param name      feature name as the manuals / Linux spell it ({@code smep}, {@code zabha})
 */
public record FeatureBit(String group, int bit, String name, boolean supported, boolean requested, boolean effective) {
}
