/** The largest file a host takes: Cloudflare Pages refuses any file over 25 MiB (Netlify and S3
 * take more). One number for the build's checks and `npm run verify`. */
export const MAX_HOSTED_FILE_BYTES = 25 * 1024 * 1024;
