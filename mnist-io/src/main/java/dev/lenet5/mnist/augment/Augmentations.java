package dev.lenet5.mnist.augment;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses the {@code --augment} option into an {@link Augmentation}:
 * <pre>
 *   none                                     no augmentation
 *   affine                                   random affine warps with the defaults
 *   affine:rot=10,scale=0.1,shear=10,shift=2 ... with chosen strengths (omitted keys keep their default)
 *   elastic                                  elastic distortions with the defaults
 *   elastic:alpha=34,sigma=4                 ... with chosen strengths
 *   affine+elastic                           both: the affine warp first, then the elastic distortion
 * </pre>
 * Defaults are {@link AffineParams#DEFAULT} ({@code rot=10,scale=0.1,shear=10,shift=2}) and
 * {@link ElasticParams#DEFAULT} ({@code alpha=34,sigma=4}); their javadoc says why. Kinds and keys are
 * case-insensitive, spaces around tokens are ignored. {@link Augmentation#describe()} prints the
 * effective parameters in this syntax, and parses back to the same augmentation.
 */
public final class Augmentations {

    /** The spec of no augmentation. */
    public static final String NONE = "none";

    /** A one-paragraph summary for command-line help. */
    public static final String SYNTAX = "none | affine[:rot=DEG,scale=FRAC,shear=DEG,shift=PX]"
            + " | elastic[:alpha=PX,sigma=PX] | affine[...]+elastic[...];"
            + " defaults " + AffineParams.DEFAULT.describe() + " and " + ElasticParams.DEFAULT.describe()
            + "; per image: rotation in +-rot degrees, scale factor in 1+-scale, x-shear in +-shear degrees,"
            + " shifts in +-shift pixels, elastic field of U(-1,1) noise smoothed by a Gaussian of sigma"
            + " pixels, times alpha pixels";

    private static final String SHORT_SYNTAX = "none, affine[:rot=DEG,scale=FRAC,shear=DEG,shift=PX],"
            + " elastic[:alpha=PX,sigma=PX] or affine[...]+elastic[...]";
    private static final String AFFINE = "affine";
    private static final String ELASTIC = "elastic";
    private static final List<String> AFFINE_KEYS = List.of("rot", "scale", "shear", "shift");
    private static final List<String> ELASTIC_KEYS = List.of("alpha", "sigma");
    // Plain decimals only: Double.parseDouble would also take "NaN", "Infinity", "0x1p3" and "10d".
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private Augmentations() {
    }

    /**
     * Parses a spec (see the class comment).
     *
     * @throws IllegalArgumentException naming the spec and what is wrong with it: empty, an unknown kind
     *                                  or key, a repeated kind or key, a value that is not a number, or a
     *                                  strength out of its range (e.g. negative)
     */
    public static Augmentation parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("augmentation spec is empty; expected " + SHORT_SYNTAX);
        }
        try {
            return parseParts(spec.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad augmentation '" + spec.trim() + "': " + e.getMessage()
                    + " (expected " + SHORT_SYNTAX + ")", e);
        }
    }

    private static Augmentation parseParts(String spec) {
        if (spec.equalsIgnoreCase(NONE)) {
            return Augmentation.NONE;
        }
        AffineParams affine = null;
        ElasticParams elastic = null;
        for (String part : spec.split("\\+", -1)) {
            int colon = part.indexOf(':');
            String kind = (colon < 0 ? part : part.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
            String params = colon < 0 ? null : part.substring(colon + 1);
            switch (kind) {
                case AFFINE -> {
                    if (affine != null) {
                        throw new IllegalArgumentException("affine is given twice");
                    }
                    if (elastic != null) {
                        throw new IllegalArgumentException("affine must come before elastic (it is applied first)");
                    }
                    affine = affine(keyValues(kind, params, AFFINE_KEYS));
                }
                case ELASTIC -> {
                    if (elastic != null) {
                        throw new IllegalArgumentException("elastic is given twice");
                    }
                    elastic = elastic(keyValues(kind, params, ELASTIC_KEYS));
                }
                case NONE -> throw new IllegalArgumentException("none cannot be combined with other kinds");
                case "" -> throw new IllegalArgumentException("a part between '+' signs is empty");
                default -> throw new IllegalArgumentException("unknown kind '" + kind
                        + "', expected none, affine or elastic");
            }
        }
        return Augmentation.of(affine, elastic);
    }

    private static AffineParams affine(Map<String, Double> v) {
        AffineParams d = AffineParams.DEFAULT;
        return new AffineParams(v.getOrDefault("rot", d.rotation()), v.getOrDefault("scale", d.scale()),
                v.getOrDefault("shear", d.shear()), v.getOrDefault("shift", d.shift()));
    }

    private static ElasticParams elastic(Map<String, Double> v) {
        ElasticParams d = ElasticParams.DEFAULT;
        return new ElasticParams(v.getOrDefault("alpha", d.alpha()), v.getOrDefault("sigma", d.sigma()));
    }

    /** "k=v,k=v" (null: none given) into a map; keys lower-cased, known, each at most once; plain decimals. */
    private static Map<String, Double> keyValues(String kind, String text, List<String> allowed) {
        Map<String, Double> values = new LinkedHashMap<>();
        if (text == null) {
            return values;
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException("'" + kind + ":' needs parameters after the colon");
        }
        for (String pair : text.split(",", -1)) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + pair.trim() + "' is not key=value");
            }
            String key = pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = pair.substring(eq + 1).trim();
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("unknown " + kind + " parameter '" + key + "', expected "
                        + String.join(", ", allowed));
            }
            if (!NUMBER.matcher(value).matches()) {
                throw new IllegalArgumentException(kind + " parameter '" + key + "' needs a number, got '"
                        + value + "'");
            }
            if (values.put(key, Double.parseDouble(value)) != null) {
                throw new IllegalArgumentException(kind + " parameter '" + key + "' is given twice");
            }
        }
        return values;
    }

    /** Shortest plain decimal that reads back as the same double: 10, 0.1, 2.5. */
    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    static void checkFactor(double factor) {
        if (!(factor >= 0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException("strength factor must be finite and at least 0, got " + factor);
        }
    }
}
