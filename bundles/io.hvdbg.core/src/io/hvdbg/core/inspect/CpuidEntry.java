/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.inspect;

/**
 * One CPUID leaf/subleaf with its four output registers in the three views (index 0..3 =
 * EAX, EBX, ECX, EDX).
 */
public record CpuidEntry(long leaf, long subleaf, int[] supported, int[] requested, int[] effective) {
}
