package dev.lenet5.nn.io;

import java.io.IOException;

/** A safetensors file that is malformed or does not hold what the caller needs; the message says what and where. */
public final class SafeTensorsException extends IOException {

    private static final long serialVersionUID = 1L;

    public SafeTensorsException(String message) {
        super(message);
    }
}
