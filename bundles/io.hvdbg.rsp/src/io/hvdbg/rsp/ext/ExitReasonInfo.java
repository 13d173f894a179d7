/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.ext;

/**
 * An exit reason as the stub's registry numbers it ({@code qHvdbg.reasons}): the ids in exit
 * records refer to these.
 *
 * @param id       the stub's dense reason id
 * @param source   VMX, SVM, RISCV, TDX or UNKNOWN
 * @param code     vendor-native code
 * @param name     vendor-native name, e.g. EXIT_REASON_CPUID
 * @param category arch-neutral category name, e.g. CPUID
 */
public record ExitReasonInfo(int id, String source, long code, String name, String category) {
}
