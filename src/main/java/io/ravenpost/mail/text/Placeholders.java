package io.ravenpost.mail.text;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import io.ravenpost.api.Fields;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Templates' {@code {{name}}} placeholders, by jmustache. Compiled without HTML escaping: values
 * are plain text, shown as given (a {@code <} stays a {@code <}), and clients decide how to display
 * them. Only plain placeholders are allowed: no sections and no partials, so a template never
 * reads anything but its params and the player.
 */
final class Placeholders {
  static final String PLAYER_NAME = "player.name";
  static final String PLAYER_UID = "player.uid";
  private static final Mustache.Compiler COMPILER = Mustache.compiler().escapeHTML(false).defaultValue("");

  private Placeholders() {
  }

  /** Compiles {@code source}, or BAD_REQUEST naming {@code field}. */
  static Template compile(String field, String source) {
    try {
      Template t = COMPILER.compile(source);
      names(field, t);
      return t;
    } catch (MustacheException e) {
      throw Fields.bad(field, "is not a valid template: " + e.getMessage());
    }
  }

  /** The placeholder names of a compiled template, in order of name. */
  static Set<String> names(String field, Template t) {
    Set<String> out = new TreeSet<>();
    t.visit(new Mustache.Visitor() {
      @Override
      public void visitText(String text) {
      }

      @Override
      public void visitVariable(String name) {
        out.add(name);
      }

      @Override
      public boolean visitInclude(String name) {
        throw Fields.bad(field, "may only use {{name}} placeholders, not partials");
      }

      @Override
      public boolean visitSection(String name) {
        throw Fields.bad(field, "may only use {{name}} placeholders, not sections");
      }

      @Override
      public boolean visitInvertedSection(String name) {
        throw Fields.bad(field, "may only use {{name}} placeholders, not sections");
      }
    });
    return out;
  }

  /** Fills a compiled template; {@code values} maps params by name and {@code player} to {@code {name, uid}}. */
  static String fill(Template t, Map<String, Object> values) {
    return t.execute(values);
  }
}
