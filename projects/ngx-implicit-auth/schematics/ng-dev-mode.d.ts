/**
 * The library's config rules read Angular's `ngDevMode` global to keep their messages in development and drop them
 * from production builds. @angular/core types it for the library; this program (the `ng add` schematic, run by
 * Node, where it is unset and the messages stay) does not load @angular/core, so it is declared here.
 */
declare const ngDevMode: unknown;
