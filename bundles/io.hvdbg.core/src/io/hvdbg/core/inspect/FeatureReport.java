/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.inspect;

import java.util.List;

/**
 * A vCPU's features: x86 CPUID (raw entries plus decoded bits) or RISC-V ISA (decoded
 * extensions; no raw entries).
 *
 * @param title   e.g. {@code CPUID (model host-max, vCPU 0)} or {@code ISA rv64imafdc_zba…}
 * @param entries raw CPUID entries (empty for RISC-V)
 * @param bits    decoded features
 */
public record FeatureReport(String title, List<CpuidEntry> entries, List<FeatureBit> bits) {
}
