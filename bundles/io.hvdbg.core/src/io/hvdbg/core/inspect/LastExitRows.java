/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.inspect;

import java.util.ArrayList;
import java.util.List;

import io.hvdbg.core.exit.ExitDecoders;
import io.hvdbg.core.exit.ExitInfo;
import io.hvdbg.core.exit.NativeEncoding;
import io.hvdbg.core.exit.VmExit;

/**
 * The {@code last exit} group of a vCPU's state rows: the exit the vCPU took last (or is
 * stopped at), decoded by its source's {@link io.hvdbg.core.exit.ExitDecoder}. Built from the
 * vCPU's {@link ExitInfo}, so it is there whether or not the VM records a trace.
 */
public final class LastExitRows {
    /** Group name of the rows. */
    public static final String GROUP = "last exit";

    private LastExitRows() {
    }

    /** The rows of the vCPU's last exit; empty if it has taken none. Read it while the VM is stopped. */
    public static List<StateRow> of(ExitInfo exit, int vcpu) {
        if (exit.reason == null) {
            return List.of();
        }
        VmExit e = exit.toVmExit(vcpu, 0);
        try {
            return ExitDecoders.forSource(e.reason().source()).lastExitRows(e);
        } catch (RuntimeException ex) {
            // a decoder that cannot read these fields must not hide the rest of the state
            return nativeRows(e);
        }
    }

    /**
     * The reason row: native code (as the vendor's register holds it, e.g. scause 22 for the
     * WFI reason, which the registry tells apart from other virtual instructions), name,
     * source and the decoded description.
     */
    public static StateRow reasonRow(VmExit e) {
        String description;
        long code;
        try {
            description = e.describe();
            code = ExitDecoders.forSource(e.reason().source()).nativeEncoding(e).code();
        } catch (RuntimeException ex) {
            description = e.reason().name();
            code = e.reason().code();
        }
        String seq = e.seq() >= 0 ? ", seq " + e.seq() : "";
        String head = e.reason().name() + " (" + e.reason().source().displayName() + seq + ")";
        return new StateRow(GROUP, "reason", code, description.equals(e.reason().name()) ? head : head + ": " + description);
    }

    /** Reason row plus the native encoding's two information fields, undecoded. */
    public static List<StateRow> nativeRows(VmExit e) {
        List<StateRow> rows = new ArrayList<>();
        rows.add(reasonRow(e));
        NativeEncoding n = ExitDecoders.forSource(e.reason().source()).nativeEncoding(e);
        rows.add(new StateRow(GROUP, "info1", n.info1(), ""));
        rows.add(new StateRow(GROUP, "info2", n.info2(), ""));
        rows.add(new StateRow(GROUP, "pc", e.pc(), "guest pc of the exiting instruction"));
        return rows;
    }
}
