/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.exit;

import java.util.List;

import io.hvdbg.core.inspect.LastExitRows;
import io.hvdbg.core.inspect.StateRow;

/**
 * Architecture knowledge about one {@link ExitSource}'s exits: which attribute sits where,
 * how to describe an exit, and how it looks in another vendor's encoding. Registered in
 * {@link ExitDecoders} by the architecture bundles.
 */
public interface ExitDecoder {

    /** The value of {@code attribute} for this exit, or -1 when the exit has no such attribute. */
    long attribute(ExitReason reason, long qualification, long info2, long context, ExitAttribute attribute);

    /** A one-line description that decodes the qualification, e.g. {@code "OUT port 0x3f8, 1 byte"}. */
    String describe(VmExit exit);

    /** The exit in its own source's encoding. */
    default NativeEncoding nativeEncoding(VmExit exit) {
        ExitReason r = exit.reason();
        return new NativeEncoding(r.source(), r.code(), r.name(), exit.qualification(), exit.info2());
    }

    /** The same event in another source's encoding (VMX ↔ SVM), or null when there is none. */
    default NativeEncoding encodingFor(VmExit exit, ExitSource other) {
        return null;
    }

    /**
     * The exit as rows of the {@code last exit} group of the vCPU State view and {@code monitor
     * vcpu}: by default the reason and its native encoding; architectures add what their
     * manuals show (VMX and SVM side by side, scause/htval/htinst).
     */
    default List<StateRow> lastExitRows(VmExit exit) {
        return LastExitRows.nativeRows(exit);
    }
}
