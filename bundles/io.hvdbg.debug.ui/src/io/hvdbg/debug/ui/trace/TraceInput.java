/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.trace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;

import io.hvdbg.debug.ui.views.ExitStatisticsView;
import io.hvdbg.debug.ui.views.ExitTimelineView;

/**
 * The trace file the Exit Timeline and Exit Statistics views show instead of following the
 * debug context (one for the workbench), and the Job that opens one. Every way of opening a
 * trace (Open KVM Trace..., File > Open File..., drag and drop) ends in {@link #open(Path)}.
 * Listeners are told on the UI thread; null means "closed: follow the debug context again".
 */
public final class TraceInput {
    /** Family of the opening and exporting Jobs (tests join it). */
    public static final Object JOB_FAMILY = TraceInput.class;
    private static final TraceInput INSTANCE = new TraceInput();

    /**
     * Where a failure to open or export is told; a dialog by default. Tests replace it to collect
     * the messages instead of blocking on a dialog.
     */
    public static volatile Consumer<String> errorReporter = TraceInput::showError;

    private final List<Consumer<LoadedTrace>> listeners = new CopyOnWriteArrayList<>();
    private volatile LoadedTrace current;

    private TraceInput() {
    }

    public static TraceInput get() {
        return INSTANCE;
    }

    /** The trace shown, or null when the views follow the debug context. */
    public LoadedTrace current() {
        return current;
    }

    public void addListener(Consumer<LoadedTrace> l) {
        listeners.add(l);
    }

    public void removeListener(Consumer<LoadedTrace> l) {
        listeners.remove(l);
    }

    /**
     * Reads a trace file in a cancelable Job with progress, then shows it in both views (opening
     * them in the active page). A file that is not a trace is reported once through
     * {@link #errorReporter}; the views keep what they showed.
     */
    public Job open(Path file) {
        Display display = PlatformUI.getWorkbench().getDisplay();
        Job job = new Job("Opening trace " + file.getFileName()) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                try {
                    LoadedTrace t = TraceLoader.load(file, monitor);
                    display.syncExec(() -> show(t));
                    return Status.OK_STATUS;
                } catch (OperationCanceledException e) {
                    return Status.CANCEL_STATUS;
                } catch (IOException | RuntimeException e) {
                    String message = e instanceof io.hvdbg.core.exit.TraceFormatException ? e.getMessage()
                            : "Could not read " + file + ": " + e;
                    display.asyncExec(() -> errorReporter.accept(message));
                    return Status.OK_STATUS;
                }
            }

            @Override
            public boolean belongsTo(Object family) {
                return family == JOB_FAMILY;
            }
        };
        job.setUser(true);
        job.schedule();
        return job;
    }

    /** Shows a loaded trace in both views; UI thread. */
    public void show(LoadedTrace t) {
        current = t;
        IWorkbenchWindow w = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        if (w != null && w.getActivePage() != null) {
            IWorkbenchPage page = w.getActivePage();
            try {
                page.showView(ExitStatisticsView.ID, null, IWorkbenchPage.VIEW_VISIBLE);
                page.showView(ExitTimelineView.ID);
            } catch (PartInitException e) {
                errorReporter.accept("Could not open the exit views: " + e.getMessage());
            }
        }
        for (Consumer<LoadedTrace> l : listeners) {
            l.accept(t);
        }
    }

    /** Stops showing the trace: the views follow the debug context again. UI thread. */
    public void close() {
        if (current == null) {
            return;
        }
        current = null;
        for (Consumer<LoadedTrace> l : listeners) {
            l.accept(null);
        }
    }

    private static void showError(String message) {
        IWorkbenchWindow w = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        Shell shell = w == null ? null : w.getShell();
        MessageDialog.openError(shell, "hvdbg trace", message);
    }
}
