/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.ext;

import java.util.List;

import io.hvdbg.core.exit.NativeEncoding;

/**
 * One exit with everything the stub can say about it ({@code qHvdbg.exit}): the record, its
 * decoded description, and its encodings (its own vendor's and, for x86, the other's).
 */
public record ExitDetail(long seq, int vcpu, int reasonId, long time, long durationNs, long pc, long qualification,
        long info2, long context, String description, List<NativeEncoding> encodings) {
}
