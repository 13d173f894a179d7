/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.trace;

import java.nio.file.Path;
import java.util.function.BiFunction;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.handlers.HandlerUtil;

import io.hvdbg.debug.core.model.VmDebugTarget;
import io.hvdbg.debug.ui.views.ExitTimelineView;

/**
 * Export Trace... (Exit Timeline toolbar): the opened trace, or else the exits of the VM the
 * timeline follows, to Chrome trace / Perfetto JSON or CSV.
 */
public final class ExportTraceHandler extends AbstractHandler {
    public static final String COMMAND_ID = "io.hvdbg.debug.ui.commands.exportTrace";

    /** Asks for the output file given the suggested name (null: canceled); tests replace the native dialog. */
    public static volatile BiFunction<Shell, String, String> fileChooser = ExportTraceHandler::askForFile;

    @Override
    public Object execute(ExecutionEvent event) {
        IWorkbenchWindow window = HandlerUtil.getActiveWorkbenchWindow(event);
        LoadedTrace trace = TraceInput.get().current();
        VmDebugTarget live = null;
        if (trace == null && window != null && window.getActivePage() != null) {
            IViewPart v = window.getActivePage().findView(ExitTimelineView.ID);
            if (v instanceof ExitTimelineView timeline) {
                live = timeline.shownTarget();
            }
        }
        if (trace == null && live == null) {
            TraceInput.errorReporter.accept("Nothing to export: open a trace (Open KVM Trace...) or select an hvdbg VM"
                    + " whose exits the Exit Timeline shows.");
            return null;
        }
        String name = trace != null ? trace.name() : live.getName();
        String base = trace != null ? stripExtension(trace.name()) : "vm-exits";
        String file = fileChooser.apply(HandlerUtil.getActiveShell(event), base + ".json");
        if (file != null) {
            TraceExport.schedule(trace != null ? TraceExport.of(trace) : TraceExport.of(live), name, Path.of(file));
        }
        return null;
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static String askForFile(Shell shell, String suggested) {
        FileDialog d = new FileDialog(shell, SWT.SAVE);
        d.setText("Export Trace");
        d.setFileName(suggested);
        d.setFilterNames(new String[] {"Chrome trace / Perfetto JSON (*.json)", "CSV (*.csv)"});
        d.setFilterExtensions(new String[] {"*.json", "*.csv"});
        d.setOverwrite(true);
        return d.open();
    }
}
