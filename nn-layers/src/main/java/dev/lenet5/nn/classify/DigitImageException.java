package dev.lenet5.nn.classify;

import java.io.IOException;

/**
 * An image file that cannot be turned into a digit: larger than {@link DigitImages}' limits, not a PNG or
 * JPEG image, undecodable, or without ink. The message starts with the file's name and says what is wrong in
 * one sentence.
 */
public final class DigitImageException extends IOException {

    private static final long serialVersionUID = 1L;

    public DigitImageException(String source, String problem) {
        super(source + ": " + problem);
    }

    public DigitImageException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
    }
}
