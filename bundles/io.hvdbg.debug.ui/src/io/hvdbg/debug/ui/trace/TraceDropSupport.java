/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.trace;

import java.nio.file.Path;

import org.eclipse.swt.dnd.DND;
import org.eclipse.swt.dnd.DropTarget;
import org.eclipse.swt.dnd.DropTargetAdapter;
import org.eclipse.swt.dnd.DropTargetEvent;
import org.eclipse.swt.dnd.FileTransfer;
import org.eclipse.swt.widgets.Control;

/** Files dropped on an exit view are opened as traces (the first one, if several). */
public final class TraceDropSupport extends DropTargetAdapter {
    private TraceDropSupport() {
    }

    /** Makes {@code control} accept dropped files. */
    public static DropTarget install(Control control) {
        DropTarget target = new DropTarget(control, DND.DROP_COPY | DND.DROP_DEFAULT | DND.DROP_MOVE | DND.DROP_LINK);
        target.setTransfer(FileTransfer.getInstance());
        target.addDropListener(new TraceDropSupport());
        return target;
    }

    @Override
    public void dragEnter(DropTargetEvent e) {
        // Copy, never move: the file stays where it is.
        e.detail = FileTransfer.getInstance().isSupportedType(e.currentDataType) ? DND.DROP_COPY : DND.DROP_NONE;
    }

    @Override
    public void dragOperationChanged(DropTargetEvent e) {
        dragEnter(e);
    }

    @Override
    public void drop(DropTargetEvent e) {
        if (e.data instanceof String[] files && files.length > 0) {
            TraceInput.get().open(Path.of(files[0]));
        }
    }
}
