/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.trace;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.widgets.Display;

import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.core.exit.ExitReason;
import io.hvdbg.core.exit.ExitReasons;
import io.hvdbg.core.exit.ExitRecordVisitor;
import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.core.exit.export.ChromeTraceWriter;
import io.hvdbg.core.exit.export.CsvTraceWriter;
import io.hvdbg.debug.core.model.VmDebugTarget;
import io.hvdbg.rsp.client.HvdbgExtensions;
import io.hvdbg.rsp.ext.ExitReasonInfo;

/**
 * Export Trace...: writes the exits the Exit Timeline shows - an opened trace file, or the
 * exit trace of the VM it follows (read over {@code qHvdbg.exits}) - as Chrome trace / Perfetto
 * JSON or CSV with the core's exporters, in a cancelable Job.
 */
public final class TraceExport {
    /** Output format, chosen by the file name: .csv is CSV, anything else JSON. */
    public enum Format {
        CHROME_JSON, CSV;

        public static Format of(Path file) {
            return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? CSV : CHROME_JSON;
        }
    }

    /** Where exits come from: writes them to a visitor, returns how many. */
    @FunctionalInterface
    public interface Source {
        long writeTo(ExitRecordVisitor out, IProgressMonitor monitor) throws IOException;
    }

    private TraceExport() {
    }

    /** The exits of an opened trace file (as many as its ring holds). */
    public static Source of(LoadedTrace trace) {
        return (out, monitor) -> {
            long[] n = {0};
            trace.trace().read(trace.trace().firstSeq(), Long.MAX_VALUE, (s, v, r, t, d, pc, q, i2, c) -> {
                n[0]++;
                return out.visit(s, v, r, t, d, pc, q, i2, c) && !monitor.isCanceled();
            });
            return n[0];
        };
    }

    /**
     * The exits a debug target's stub still holds, from its first one. Reason ids of the stub are
     * mapped to this process's registry (a stub in another process numbers them its own way).
     */
    public static Source of(VmDebugTarget target) {
        return (out, monitor) -> {
            HvdbgExtensions h = target.hvdbg();
            int[] local = localReasonIds(h.reasons());
            long[] n = {0};
            h.fetchExits(0, Long.MAX_VALUE, (s, v, r, t, d, pc, q, i2, c) -> {
                n[0]++;
                int id = r >= 0 && r < local.length ? local[r] : r;
                return out.visit(s, v, id, t, d, pc, q, i2, c) && !monitor.isCanceled();
            });
            return n[0];
        };
    }

    static int[] localReasonIds(List<ExitReasonInfo> reasons) {
        int max = 0;
        for (ExitReasonInfo r : reasons) {
            max = Math.max(max, r.id() + 1);
        }
        int[] local = new int[max];
        Arrays.fill(local, -1);
        for (ExitReasonInfo r : reasons) {
            ExitSource source;
            try {
                source = ExitSource.valueOf(r.source());
            } catch (IllegalArgumentException e) {
                source = ExitSource.UNKNOWN;
            }
            ExitReason mine = ExitReasons.find(source, r.code());
            if (mine == null) {
                ExitCategory category = ExitCategory.parse(r.category());
                mine = ExitReasons.register(source, r.code(), r.name(), category == null ? ExitCategory.OTHER : category);
            }
            local[r.id()] = mine.id();
        }
        return local;
    }

    /** Writes {@code source} to {@code file} now, in the format its name asks for; returns the exits written. */
    public static long write(Source source, String name, Path file, IProgressMonitor monitor) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        long n;
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            if (Format.of(file) == Format.CSV) {
                try (CsvTraceWriter csv = new CsvTraceWriter(w)) {
                    n = source.writeTo(csv, monitor);
                }
            } else {
                try (ChromeTraceWriter json = new ChromeTraceWriter(w, Map.of("input", name))) {
                    n = source.writeTo(json, monitor);
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        if (monitor.isCanceled()) {
            Files.deleteIfExists(tmp);
            throw new OperationCanceledException();
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return n;
    }

    /** Writes in a Job; failures go to {@link TraceInput#errorReporter}. */
    public static Job schedule(Source source, String name, Path file) {
        Display display = Display.getCurrent();
        Job job = new Job("Exporting " + name + " to " + file.getFileName()) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                monitor.beginTask(getName(), IProgressMonitor.UNKNOWN);
                try {
                    write(source, name, file, monitor);
                    return Status.OK_STATUS;
                } catch (OperationCanceledException e) {
                    return Status.CANCEL_STATUS;
                } catch (IOException | RuntimeException e) {
                    String message = "Could not export to " + file + ": " + e.getMessage();
                    if (display != null) {
                        display.asyncExec(() -> TraceInput.errorReporter.accept(message));
                    }
                    return Status.OK_STATUS;
                } finally {
                    monitor.done();
                }
            }

            @Override
            public boolean belongsTo(Object family) {
                return family == TraceInput.JOB_FAMILY;
            }
        };
        job.setUser(true);
        job.schedule();
        return job;
    }
}
