interface ImportMetaEnv {
  /** True only under `astro dev` (defined by the content gate from Astro's command, never
   * from NODE_ENV) and in a preview build (`MASTHEAD_PREVIEW=1`): drafts and scheduled stories are
   * shown there, marked, on `noindex` pages; a production build never has them. Named unlike the
   * MASTHEAD_PREVIEW variable on purpose: Astro replaces `import.meta.env.<NAME>` with the process
   * environment's string, which would win over this boolean. */
  readonly MASTHEAD_SHOWS_UNPUBLISHED: boolean;
  /** Absolute path of src/outputs/share-cards/worker.ts, which Node runs as is (defined by the socialCards integration). */
  readonly MASTHEAD_CARD_WORKER: string;
}
