/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.exit;

/**
 * One vendor's encoding of an exit: for VMX the basic exit reason and exit qualification
 * (info2: guest-physical address where the SDM defines one), for SVM the exit code with
 * EXITINFO1/EXITINFO2, for RISC-V scause with htval/stval (info1) and htinst (info2).
 */
public record NativeEncoding(ExitSource source, long code, String name, long info1, long info2) {
}
