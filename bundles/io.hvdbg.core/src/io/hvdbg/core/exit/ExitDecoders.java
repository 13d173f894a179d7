/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.exit;

import java.util.EnumMap;
import java.util.Map;

/** Registry of the {@link ExitDecoder} per {@link ExitSource}; sources without one get a generic decoder. */
public final class ExitDecoders {
    private static final Map<ExitSource, ExitDecoder> DECODERS = new EnumMap<>(ExitSource.class);

    private static final ExitDecoder GENERIC = new ExitDecoder() {
        @Override
        public long attribute(ExitReason reason, long qualification, long info2, long context, ExitAttribute attribute) {
            return -1;
        }

        @Override
        public String describe(VmExit exit) {
            return exit.reason().name() + " qual=0x" + Long.toHexString(exit.qualification())
                    + " info2=0x" + Long.toHexString(exit.info2());
        }
    };

    private ExitDecoders() {
    }

    public static synchronized void register(ExitSource source, ExitDecoder decoder) {
        DECODERS.put(source, decoder);
    }

    public static synchronized ExitDecoder forSource(ExitSource source) {
        return DECODERS.getOrDefault(source, GENERIC);
    }
}
