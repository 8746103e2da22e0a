// A chapter as the container writers mark it: a title and where it starts and ends in the audio.
export interface ChapterMark {
  title: string;
  startSeconds: number;
  endSeconds: number;
}
